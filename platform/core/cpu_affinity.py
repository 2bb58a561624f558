"""One web worker, one core: `WORKER_INDEX=N` pins the worker process to one of the cores it
may use, the ((N - 1) mod count)th, so that N workers on N cores take one each.

Why: a worker runs one request per thread, and only the thread holding the interpreter lock
runs Python. With the threads free to run on every core, the lock passes between cores on
every database or cache round trip, and each pass costs the process CPU time: on this
project's two-core machine, a worker serving comment POSTs spent about 6 ms of CPU on each;
held to one core, about 4 ms, with everything else the same (docs/speed.md). The other
processes (PostgreSQL, Redis, nginx, the follow-up worker) still use every core.

systemd's worker unit sets WORKER_INDEX=%i; deploy/local_cluster.py and the benchmarks set it
for the workers they start. Without it nothing is pinned (`make run`, tests, one process
serving everything).
"""

import logging
import os

logger = logging.getLogger(__name__)


def pin_worker(index_text: str | None) -> int | None:
    """Pin every thread of this process to the core for worker `index_text` (1, 2, …); the
    core, or None when there is nothing to pin (no index, one core, no such call here)."""
    if not index_text:
        return None
    try:
        index = int(index_text)
    except ValueError:
        logger.warning("WORKER_INDEX=%r is not a number: the worker is not pinned", index_text)
        return None
    if not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2 or index < 1:
        return None
    core = cores[(index - 1) % len(cores)]
    # Each thread has its own mask; those started later take their parent's.
    for thread_id in os.listdir("/proc/self/task"):
        try:
            os.sched_setaffinity(int(thread_id), {core})
        except OSError:  # a thread that ended meanwhile
            pass
    return core
