"""Site-wide WebSockets: a ping that lets proxies, health checks and tests prove that the
WebSocket path through the ASGI stack (origin check, session auth, routing) is alive, and the
answer to a path no app routes."""

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


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Every WebSocket path no app routes (config/routing.py puts it last): accepted, then
    closed with 4404, so the client learns why instead of a failed handshake (an unrouted
    path would otherwise raise inside the router and answer 500)."""

    async def connect(self):
        from .live import CLOSE_UNKNOWN_TARGET

        await self.accept()
        await self.close(CLOSE_UNKNOWN_TARGET)
