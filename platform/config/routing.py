"""WebSocket routes of every app, composed once."""

from core.routing import websocket_urlpatterns as core_patterns

websocket_urlpatterns = [*core_patterns]
