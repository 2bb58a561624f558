"""The site's settings for the integration cluster: the live hub probes Redis every second, so
that a Redis restart is noticed within the test's patience (production: every 10 s)."""

from config.settings import *  # noqa: F403

LIVE_PROBE_SECONDS = 1.0
LIVE_PROBE_TIMEOUT = 1.0
