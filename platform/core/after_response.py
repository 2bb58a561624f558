"""Work the person does not need to wait for, run once their answer has been sent.

`after_response(fn)` inside a request queues `fn` until the response is closed, which the
server does after sending its last byte (ASGI and WSGI alike; Django's test client too);
outside a request (a management command, a test calling a service) `fn` runs at once.
Services call it from `transaction.on_commit`, so a rolled-back write queues nothing.
Each task is run once, and a failing one is logged, never raised: the answer has gone.
"""

import contextvars
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_queue: contextvars.ContextVar[list | None] = contextvars.ContextVar("after_response", default=None)


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
            response._resource_closers.append(lambda: [_run(fn) for fn in queue])
        return response
