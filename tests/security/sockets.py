"""WebSockets through the whole ASGI stack (config.asgi.application), inside the test's own
transaction, so that one world built once per module serves HTTP and sockets alike."""

import asyncio
import json
from unittest import mock

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client, TestCase

ORIGIN = b"http://127.0.0.1:8000"


def run(scenario, *args):
    """Run an async scenario from sync code (a fixture or a test).

    Called from the main thread, every thread-sensitive database call of the consumers and of
    `database_sync_to_async` runs back on this thread, in this test's transaction. Channels
    closes "old" connections around each such call, which inside a transaction would close
    this one: it is a no-op here, as channels.testing itself makes it while it talks to an
    application.
    """
    with mock.patch("channels.db.close_old_connections", lambda: None):
        return async_to_sync(scenario)(*args)


def with_events(write, *args, **kwargs):
    """Run a write inside the module's open transaction and then what it deferred to commit
    (live events, e-mail), as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return write(*args, **kwargs)


def session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


async def connect(path: str, session: str | None = None, origin: bytes = ORIGIN):
    """(communicator, accepted, close code or None). An exception inside the application
    (no route, a crash) is raised here, as daphne would turn it into a failed handshake."""
    from config.asgi import application

    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    accepted, code = await socket.connect(timeout=5)
    return socket, accepted, code


async def drain(socket, quiet: float = 0.3) -> list[dict]:
    """Everything the socket sends until it has been quiet for `quiet` seconds."""
    received = []
    while not await socket.receive_nothing(timeout=quiet):
        received.append(await socket.receive_output(timeout=1))
    return received


async def catch_up(socket, after: int = 0) -> list[dict]:
    """Ask for what was missed since `after`; frames up to caught_up (or reload, or close)."""
    await socket.send_to(text_data=json.dumps({"type": "catch_up", "after": after}))
    received = []
    while True:
        frame = await socket.receive_output(timeout=5)
        received.append(frame)
        if frame.get("type") == "websocket.close":
            return received
        kind = json.loads(frame.get("text") or "{}").get("type")
        if kind in ("caught_up", "reload"):
            return received


def frames_text(frames: list[dict]) -> str:
    return "\n".join(frame.get("text") or json.dumps(frame) for frame in frames)


async def close(socket) -> None:
    try:
        await socket.disconnect()
    except (asyncio.CancelledError, TimeoutError, RuntimeError):
        pass
