"""Settings for the live benchmarks (bench/forums_fanout.py): the site's own, plus a time stamp
in each live event (when the service published it, just before commit) and a posting rate
that does not throttle the benchmark's publisher. Never used by the site or the tests."""

from config.settings import *  # noqa: F403

LIVE_EVENT_TIMESTAMPS = True
# Every reader of the benchmark connects from 127.0.0.1: no per-address cap.
LIVE_MAX_SOCKETS_PER_ADDRESS = 0
FORUMS_POST_RATE = "1000000/60"
