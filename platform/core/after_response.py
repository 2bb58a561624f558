"""Work the person does not need to wait for, run once their answer has been sent.

`after_response(fn)` inside a request queues `fn` until the response is closed, which the
server does after sending its last byte (ASGI and WSGI alike; Django's test client too);
outside a request (a management command, a test calling a service) `fn` runs at once.
Services call it from `transaction.on_commit`, so a rolled-back write queues nothing.
Each task is run once, and a failing one is logged, never raised: the answer has gone.

Under an ASGI server (daphne) the tasks run on one background thread per process, not on
the closing thread. (Django gives each ASGI request a thread of its own for its sync code,
ThreadSensitiveContext, so closing never held up other requests.) One thread instead of one
per finished request: under a burst the follow-up work competes less with the requests for
the cores and for database connections, and what waits can be done in batches (comments are
indexed a consultation at a time). With 50 writers on 2 workers the comment POST went from
0.12 to 0.20 of the minimal POST against running the tasks on close (docs/speed.md).
Work handed over this way is lost if the process dies before it runs: a task that matters
records that it ran, and a command repairs what did not (consultations' receipts:
`manage.py consultations_receipts`). Under WSGI and the test client the tasks run on the
closing thread, as before, so tests see their effects as soon as the response is read.
"""

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections

logger = logging.getLogger(__name__)

_queue: contextvars.ContextVar[list | None] = contextvars.ContextVar("after_response", default=None)
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def after_response(fn: Callable[[], None]) -> None:
    queue = _queue.get()
    if queue is None:
        _run(fn)
    else:
        queue.append(fn)


def _run(fn) -> None:
    try:
        fn()
    except Exception:
        logger.exception("A task after the response failed")


def _run_all(tasks: list) -> None:
    for fn in tasks:
        _run(fn)


def _run_all_in_background(tasks: list) -> None:
    try:
        _run_all(tasks)
    finally:
        # This thread's connection outlives the request: drop it once it is broken or past
        # CONN_MAX_AGE, as the request cycle does for the request threads'.
        close_old_connections()


def _background() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            # One thread: tasks run in the order their answers were sent, and the worker's
            # database connections grow by one, not by the load. At interpreter exit
            # concurrent.futures runs what is still queued before the process ends.
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="after-response")
        return _executor


def drain(timeout: float | None = None) -> None:
    """Wait until the tasks handed to the background thread so far have run (for tests and
    benchmarks that count their effects)."""
    with _executor_lock:
        executor = _executor
    if executor is not None:
        executor.submit(lambda: None).result(timeout=timeout)


class AfterResponseMiddleware:
    """Outermost of the site's own middleware: the queue lives as long as the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queue: list = []
        token = _queue.set(queue)
        try:
            response = self.get_response(request)
        finally:
            _queue.reset(token)
        if queue:
            if isinstance(request, ASGIRequest):
                response._resource_closers.append(
                    lambda: _background().submit(_run_all_in_background, queue)
                )
            else:
                response._resource_closers.append(lambda: _run_all(queue))
        return response
