"""WebSocket routes of the consultations app, composed in config/routing.py."""

websocket_urlpatterns: list = []
