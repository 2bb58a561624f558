"""ASGI entry point: `daphne config.asgi:application` alone serves the whole site.

HTTP goes to Django (WhiteNoise serves static files inside it); WebSockets go through
the origin check (the full origin: scheme, host and port, core.origin) and session
authentication to the apps' routes.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.cpu_affinity import pin_worker  # noqa: E402
from core.daphne_forms import leave_forms_to_django  # noqa: E402
from core.origin import SameOriginValidator  # noqa: E402

# One core per worker when the deployment numbers its workers (core.cpu_affinity).
pin_worker(os.environ.get("WORKER_INDEX"))
# daphne hands POST bodies to Django whole, without parsing them first (core.daphne_forms).
leave_forms_to_django()

# Import the URLconf (every app's views, Wagtail's admin: most of a second) now, before the server
# listens, not inside the first requests: a worker that answers /health/ is ready to serve, and
# the requests that reach a freshly restarted worker do not all queue behind the import.
get_resolver().url_patterns  # noqa: B018


def without_portless_server(app):
    """uvicorn on a unix socket reports the server as (path, None), which Django turns into the
    port "None" and Wagtail's site lookup into a 500. Django's own reading of "no server
    address" (port 0) lets Wagtail fall back to the default site, as under daphne."""

    async def wrapped(scope, receive, send):
        server = scope.get("server")
        if server and server[1] is None:
            scope = {**scope, "server": None}
        return await app(scope, receive, send)

    return wrapped


application = ProtocolTypeRouter(
    {
        "http": without_portless_server(django_asgi_app),
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
