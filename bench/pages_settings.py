"""Settings for bench/pages.py's daphne worker: the site's, plus two reference views (a
minimal GET answering after one `SELECT 1`, a minimal POST inserting one row), with the comment
rate limit lifted (the benchmark measures throughput, not the limiter)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
CONSULTATIONS_COMMENT_RATE = "1000000/60"
