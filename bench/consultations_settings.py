"""Settings for bench/consultations_load.py's daphne workers: the site's, with the comment
rate limit lifted (the benchmark measures throughput, not the limiter)."""

from config.settings import *  # noqa: F403

CONSULTATIONS_COMMENT_RATE = "1000000/60"
