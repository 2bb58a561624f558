"""WebSocket routes of the forums app, composed in config/routing.py."""

from django.urls import path

from .consumers import GroupConsumer

websocket_urlpatterns = [
    path("ws/forums/groups/<int:group_id>/", GroupConsumer.as_asgi()),
]
