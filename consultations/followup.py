"""Where a stored comment's follow-up runs: its search entry, campaign and receipt.

By default (`CONSULTATIONS_FOLLOWUP = "after-response"`) the worker that answered runs it on
its background thread (core.after_response). With `"worker"` and Redis, the web worker only
pushes the comments' ids onto a Redis list, from that thread, and `manage.py
consultations_followup` processes take the ids in batches: the cores of the web workers
answer requests, and the follow-up, which costs as much CPU as the answer itself, waits its
turn (the unit runs it at a lower priority). Either way the database stays the truth: a
comment whose receipt is not marked sent is found again by `manage.py consultations_receipts`
(a list lost with Redis, a worker killed mid-batch, a mail server that refused).
"""

import logging
import signal
import time

import redis
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

BATCH = 200
_clients: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis:
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=5
        )
    return client


def _key() -> str:
    # Beside the cache's keys, under its prefix: two sites sharing a Redis keep two lists.
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:consultations:followup"


def by_worker() -> bool:
    return settings.CONSULTATIONS_FOLLOWUP == "worker" and bool(getattr(settings, "REDIS_URL", ""))


def hand_over(comment_pks: list[int]) -> bool:
    """Queue the comments, oldest first, for the follow-up workers; False if Redis could not
    take them (the caller then runs the follow-up itself)."""
    try:
        _redis().lpush(_key(), *comment_pks)
    except redis.RedisError:
        logger.warning("Follow-up queue unreachable; comments %s followed up here", comment_pks)
        return False
    return True


def waiting() -> int:
    """How many comments wait in the list (benchmarks and the worker's log)."""
    return _redis().llen(_key())


def take(block_seconds: float) -> list[int]:
    """Up to BATCH waiting ids, oldest first, blocking up to `block_seconds` for the first."""
    client = _redis()
    first = client.brpop([_key()], timeout=block_seconds)
    if first is None:
        return []
    more = client.rpop(_key(), BATCH - 1) or []
    # The same comment twice (queued again by a retry) is followed up once per batch.
    return list(dict.fromkeys(int(pk) for pk in [first[1], *more]))


def run_worker(*, once: bool = False, block_seconds: float = 1.0, log=None) -> int:
    """Follow up queued comments until SIGTERM or SIGINT (or, with `once`, until the list is
    empty); returns how many were followed up. A failing batch is logged and left to
    `consultations_receipts`: its ids are not pushed back, so a comment that cannot be sent
    does not spin the worker."""
    from .services.comments import comments_followup

    stopping = []
    if not once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
    done = 0
    while not stopping:
        try:
            pks = take(0.1 if once else block_seconds)
        except redis.RedisError:
            logger.warning("Follow-up queue unreachable; trying again in 5 s")
            time.sleep(5)
            continue
        if not pks:
            if once:
                break
            continue
        if not once:
            # A long-lived process: drop a connection the database closed, as requests do.
            close_old_connections()
        try:
            comments_followup(pks)
        except Exception:
            logger.exception("Follow-up of comments %s failed", pks)
        done += len(pks)
        if log:
            log(f"{len(pks)} comments followed up")
    return done
