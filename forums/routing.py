"""WebSocket routes of the forums app, composed in config/routing.py."""

websocket_urlpatterns: list = []
