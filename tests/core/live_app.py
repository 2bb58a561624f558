"""A test-only live consumer and ASGI app for the hub's tests (never routed by the site)."""

import asyncio
import json
import uuid

from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path

from core.events import group_name
from core.live import LiveConsumer, live_event


class RoomConsumer(LiveConsumer):
    """/ws/test/<room>/ follows the audience of one room; "missing" does not exist, "secret" is
    forbidden; "hold"/"release" drive the catch-up helpers."""

    async def get_audiences(self):
        room = self.scope["url_route"]["kwargs"]["room"]
        if room.startswith("missing"):
            return None
        if room.startswith("secret"):
            raise PermissionDenied
        return [group_name("t-live", room)]

    async def handle_message(self, message):
        if message["type"] == "hold":
            self.hold_live()
            await self.push({"type": "holding"})
        elif message["type"] == "release":
            await self.push({"type": "missed", "seq": message.get("after")})
            await self.release_live(after_seq=message.get("after"))
        elif message["type"] == "crash":
            raise RuntimeError("consumer bug")
        else:
            await super().handle_message(message)


class SlowRoomConsumer(RoomConsumer):
    """A socket whose writes take long, as a client that does not read would cause under a
    server whose send waits (uvicorn): its queue fills up."""

    max_queue = 5

    async def send(self, text_data=None, bytes_data=None, close=False):
        if text_data is not None:
            await asyncio.sleep(0.2)
        await super().send(text_data=text_data, bytes_data=bytes_data, close=close)


application = URLRouter(
    [
        path("ws/test/<str:room>/", RoomConsumer.as_asgi()),
        path("ws/slow/<str:room>/", SlowRoomConsumer.as_asgi()),
    ]
)


def unique_room(prefix="room") -> str:
    # Redis pub/sub ignores the database number: keep names unique across concurrent runs.
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def audience(room: str) -> str:
    return group_name("t-live", room)


async def open_socket(room: str, kind: str = "test") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/{kind}/{room}/")
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def receive(communicator: WebsocketCommunicator, timeout: float = 5) -> dict:
    return json.loads(await communicator.receive_from(timeout))


def _publish(room: str, events: list[dict], *, roll_back: bool = False) -> None:
    class RollBack(Exception):
        pass

    try:
        with transaction.atomic():
            for event in events:
                live_event(audience(room), event)
            if roll_back:
                raise RollBack
    except RollBack:
        pass


async def publish(room: str, *events: dict, roll_back: bool = False) -> None:
    """Publish events from a committed (or rolled-back) transaction, as a service would."""
    await sync_to_async(_publish)(room, list(events), roll_back=roll_back)
