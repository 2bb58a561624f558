import json

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.testing import WebsocketCommunicator

from config.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def ping_socket(origin=b"http://127.0.0.1:8000"):
    return WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    )


async def test_websocket_ping_answers_through_the_full_asgi_stack():
    communicator = ping_socket()
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await communicator.receive_from()) == {"type": "pong", "authenticated": False}
    await communicator.disconnect()


@pytest.mark.parametrize(
    "message", ["not json", "[]", json.dumps({"type": "drop tables"}), "x" * 5000]
)
async def test_websocket_garbage_gets_an_error_message_not_a_crash(message):
    communicator = ping_socket()
    assert (await communicator.connect())[0]
    await communicator.send_to(text_data=message)
    assert json.loads(await communicator.receive_from())["type"] == "error"
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await communicator.receive_from())["type"] == "pong"
    await communicator.disconnect()


async def test_websocket_from_a_foreign_origin_is_refused():
    communicator = ping_socket(origin=b"https://evil.example")
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
async def test_static_files_are_served_by_the_asgi_application():
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/static/css/site.css",
        "raw_path": b"/static/css/site.css",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(5)
    body = b""
    while True:
        message = await communicator.receive_output(5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    assert start["status"] == 200
    assert b"--brand" in body


async def test_websocket_knows_the_signed_in_user_from_the_session_cookie():
    from channels.db import database_sync_to_async as sync_to_async
    from django.test import Client

    from tests.accounts.factories import make_user

    def signed_in_cookie():
        client = Client()
        client.force_login(make_user())
        return client.cookies["sessionid"].value

    session = await sync_to_async(signed_in_cookie)()
    communicator = WebsocketCommunicator(
        application,
        "/ws/ping/",
        headers=[
            (b"origin", b"http://127.0.0.1:8000"),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", f"sessionid={session}".encode()),
        ],
    )
    assert (await communicator.connect())[0]
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await communicator.receive_from()) == {"type": "pong", "authenticated": True}
    await communicator.disconnect()
