"""Work after the answer: under ASGI it runs on a background thread, so the worker's one
thread for sync views is free for the next request; elsewhere on the closing thread
(issue 16)."""

import threading

import pytest
from django.http import HttpResponse
from django.test import AsyncRequestFactory, RequestFactory

from core import after_response as module
from core.after_response import AfterResponseMiddleware, after_response

# Closing a response sends request_finished, which looks at the database connections.
pytestmark = pytest.mark.django_db


def _view_queueing(ran: list):
    def view(request):
        after_response(lambda: ran.append(threading.current_thread().name))
        return HttpResponse("ok")

    return view


def test_under_asgi_the_work_runs_after_the_answer_on_a_background_thread():
    ran: list = []
    response = AfterResponseMiddleware(_view_queueing(ran))(AsyncRequestFactory().get("/"))
    assert ran == []  # not before the answer is sent
    response.close()
    module.drain(timeout=10)
    assert len(ran) == 1
    assert ran[0] != threading.current_thread().name
    assert ran[0].startswith("after-response")


def test_under_wsgi_the_work_runs_on_closing_once():
    ran: list = []
    response = AfterResponseMiddleware(_view_queueing(ran))(RequestFactory().get("/"))
    assert ran == []
    response.close()
    assert ran == [threading.current_thread().name]


def test_a_failing_task_does_not_stop_the_next_one():
    ran: list = []

    def view(request):
        after_response(lambda: 1 / 0)
        after_response(lambda: ran.append("second"))
        return HttpResponse("ok")

    AfterResponseMiddleware(view)(AsyncRequestFactory().get("/")).close()
    module.drain(timeout=10)
    assert ran == ["second"]


def test_outside_a_request_the_work_runs_at_once():
    ran: list = []
    after_response(lambda: ran.append(1))
    assert ran == [1]
