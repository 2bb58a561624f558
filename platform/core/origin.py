"""The WebSocket origin check: the full origin — scheme, host and port — as Django's CSRF check
compares it for forms, not the host name alone.

A browser sends `Origin` with every WebSocket handshake. It is accepted when it is this site
as the browser reached it (`<scheme>://<Host header>`, the scheme from the connection or the
TLS proxy's X-Forwarded-Proto when SECURE_PROXY_SSL_HEADER is set), or one of
CSRF_TRUSTED_ORIGINS (exact, or `https://*.example.org` for subdomains). The Host header must
be one of ALLOWED_HOSTS, as for every HTTP request. So a page served by another program on the
same host but another port (or over plain HTTP beside the HTTPS site) cannot open a socket
with the visitor's cookies. Anything else is refused before the consumer runs (HTTP 403).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

SECURE_SCHEMES = {"wss", "https"}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            try:
                return value.decode("latin-1")
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
                return None
    return None


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:  # as HttpRequest.get_host does
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def _is_secure(scope) -> bool:
    if scope.get("scheme") in SECURE_SCHEMES:
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name, expected = proxy
        header = name.lower().removeprefix("http_").replace("_", "-").encode("latin-1")
        value = _header(scope, header)
        return value is not None and value.split(",", 1)[0].strip() == expected
    return False


def origin_allowed(scope) -> bool:
    origin = _header(scope, b"origin")
    host = _header(scope, b"host")
    if not origin or not host:
        return False
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, _allowed_hosts()):
        return False
    scheme = "https" if _is_secure(scope) else "http"
    if origin == f"{scheme}://{host}":
        return True
    trusted = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    if origin in trusted:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    for pattern in trusted:
        if "*" not in pattern:
            continue
        wanted = urlsplit(pattern)
        if wanted.scheme == parsed.scheme and is_same_domain(parsed.netloc, wanted.netloc[1:]):
            return True
    return False


class SameOriginValidator:
    """ASGI middleware for WebSockets: refuse a handshake whose Origin is not this site's."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SameOriginValidator is for WebSocket connections only")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
