"""WebSocket routes of every app, composed once."""

from consultations.routing import websocket_urlpatterns as consultations_patterns
from core.routing import websocket_urlpatterns as core_patterns
from forums.routing import websocket_urlpatterns as forums_patterns

websocket_urlpatterns = [*core_patterns, *forums_patterns, *consultations_patterns]
