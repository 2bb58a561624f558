"""Site-wide middleware: unknown language prefixes, the Content-Security-Policy, and the
cache reads of signed-in pages made together.

Language prefixes we do not serve go to one we do, instead of a 404.

`/de/…` (a language Django knows but we do not offer) → `/en/…`; `/zh-cn/…` → `/zh-hans/…`
(the supported variant); `/ZH-HANS/…` → `/zh-hans/…`. Segments that are not language codes
are left to LocaleMiddleware, which adds the prefix as usual.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseRedirect
from django.utils.translation import get_supported_language_variant
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from accounts.rules import access_keys

from .context_processors import header_cache_keys
from .read_together import want
from .sessions import keys_ahead

SUPPORTED = {code for code, _name in settings.LANGUAGES}
# Paths served outside the language prefix.
UNPREFIXED = ("admin", "documents", "static", "media", "health", "ws")


# "zh" is not in LANG_INFO itself, only "zh-hans", "zh-cn"…: compare the base codes.
KNOWN_BASES = {code.split("-")[0] for code in LANG_INFO}


def _looks_like_language(segment: str) -> bool:
    code = segment.replace("_", "-")
    return code in LANG_INFO or code.split("-")[0] in KNOWN_BASES


class UnknownLanguagePrefixMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        first, sep, rest = request.path_info.lstrip("/").partition("/")
        if (
            first
            and first not in SUPPORTED
            and first not in UNPREFIXED
            and _looks_like_language(first.lower())
        ):
            try:
                target = get_supported_language_variant(first.lower().replace("_", "-"))
            except LookupError:
                target = settings.LANGUAGE_CODE
            url = f"{request.META.get('SCRIPT_NAME', '')}/{target}/{rest}"
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponseRedirect(url)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the two things a fixed setting cannot say (issue 11,
    finding 16; docs/permissions.md, "Content-Security-Policy"):

    - the live pages' WebSocket: `connect-src` names this host over wss:// (and ws:// for a
      plain request), since browsers differ on whether 'self' covers WebSockets;
    - the Wagtail admin's own, looser policy (CONTENT_SECURITY_POLICY_ADMIN): Wagtail renders
      inline scripts (date pickers, inline panels) and its accessibility checker compiles
      templates with `new Function`, so the admin allows inline script and eval but keeps
      every other restriction (sources, framing, forms, plugins).
    """

    def process_response(self, request, response):
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            # A redirect's body is never rendered: a policy on it would govern nothing, and
            # building one cost a comment POST (answered with a redirect) 5% of its time.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith("/admin/") and parts.config is None:
            parts.config = dict(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts  # Django answers 400; 'self' is all the policy needs
        # Behind a TLS proxy that does not say so, a plain-looking request still has pages
        # whose sockets are wss://; a secure one never needs ws://.
        schemes = ["wss"] if request.is_secure() else ["ws", "wss"]
        sockets = [f"{scheme}://{host}" for scheme in schemes]
        parts.update = {**(parts.update or {}), "connect-src": sockets}
        return parts


class SignedInReadsMiddleware:
    """The cache entries every page a signed-in reader opens asks for (the session, the
    header's area links, the reader's roles and admin check with the permissions' generation,
    Wagtail's site root paths), said before the request's first read of the cache, which then
    brings them all (core.read_together): a page that read them one by one paid a round trip
    each. Only for a GET or HEAD that carries a session cookie: the anonymous pages served
    from the cache need none of them. The reader is the account the session was last seen
    signed in to (core.sessions); a wrong guess only reads entries nobody asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            want_every_page_reads(request)
        return self.get_response(request)


def want_every_page_reads(request) -> None:
    session_keys, user_pk = keys_ahead(request)
    if not session_keys:
        return
    want([*session_keys, *header_cache_keys(), *access_keys(user_pk)])
    want([SITE_ROOT_PATHS_CACHE_KEY], version=SITE_ROOT_PATHS_CACHE_VERSION)
