from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from core import health as checks


@never_cache
@require_safe
async def health(request):
    """For load balancers and monitoring: the database, the channel layer and the cache.

    503 only when the database is down. Every worker shares one Redis, so a Redis outage would
    take every worker out of the pool at once, while pages and writes still work without it
    ("degraded": live updates pause, and clients resync from the database when it returns).
    """
    report = {
        "database": await sync_to_async(checks.check_database)(),
        "channel_layer": await checks.check_channel_layer(),
        "cache": await sync_to_async(checks.check_cache)(),
    }
    if not report["database"]:
        status = "unavailable"
    elif all(report.values()):
        status = "ok"
    else:
        status = "degraded"
    body = {"status": status} | {
        name: "ok" if working else "unavailable" for name, working in report.items()
    }
    return JsonResponse(body, status=503 if status == "unavailable" else 200)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file
    (served by WhiteNoise or the proxy, under its hashed name in production)."""
    return HttpResponseRedirect(static("favicon.ico"))


def media(request, path):
    """Uploads in development (DEBUG; the proxy serves them in production). A name the file
    system cannot even look up (too long, a NUL byte) is a missing file, not a server error."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as exc:
        raise Http404 from exc
