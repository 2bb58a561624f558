"""A stand-in for core/live.py with the same names (LIVE_CONTRACT.md), used only until the
livehub branch is merged: one channel-layer subscription per socket (no per-process hub)."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from core.events import publish_on_commit


def live_event(audience: str, data: dict) -> None:
    publish_on_commit(audience, {"type": "live.message", "data": data})


class LiveConsumer(AsyncWebsocketConsumer):
    max_message_bytes = 4096

    async def connect(self):
        audiences = await self.get_audiences()
        if audiences is None:
            await self.close(code=4404)
            return
        self._audiences = audiences
        for audience in audiences:
            await self.channel_layer.group_add(audience, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for audience in getattr(self, "_audiences", []):
            await self.channel_layer.group_discard(audience, self.channel_name)

    async def live_message(self, event):
        await self.push(event["data"])

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None:
            await self.send_error("bad_message", "Binary frames are not accepted.")
            return
        if len(text_data.encode()) > self.max_message_bytes:
            await self.send_error("too_large", "The message is too large.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("bad_message", "Expected a JSON object with a type.")
            return
        await self.handle_message(message)

    async def get_audiences(self):
        raise NotImplementedError

    async def handle_message(self, message):
        raise NotImplementedError

    async def push(self, data):
        await self.send(text_data=json.dumps(data, separators=(",", ":")))

    async def send_error(self, code, message):
        await self.push({"type": "error", "error": code, "message": message})
