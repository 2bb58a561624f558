"""A WebSocket that answers pings: lets proxies, health checks and tests prove that the
WebSocket path through the ASGI stack (origin check, session auth, routing) is alive."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

MAX_MESSAGE = 1024


class PingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None or len(text_data) > MAX_MESSAGE:
            await self.send(json.dumps({"type": "error", "error": "bad_message"}))
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            message = None
        if not isinstance(message, dict) or message.get("type") != "ping":
            await self.send(json.dumps({"type": "error", "error": "bad_message"}))
            return
        user = self.scope.get("user")
        await self.send(
            json.dumps({"type": "pong", "authenticated": bool(user and user.is_authenticated)})
        )
