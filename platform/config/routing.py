"""WebSocket routes of every app, composed once; a path none of them routes is closed with
4404 by the last route (docs/realtime.md)."""

from django.urls import re_path

from consultations.routing import websocket_urlpatterns as consultations_patterns
from core.consumers import UnknownPathConsumer
from core.routing import websocket_urlpatterns as core_patterns
from forums.routing import websocket_urlpatterns as forums_patterns

websocket_urlpatterns = [
    *core_patterns,
    *forums_patterns,
    *consultations_patterns,
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
