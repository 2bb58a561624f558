"""The site's URLs plus the benchmark's two reference views (bench/pages.py only)."""

import uuid

from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns


def minimal(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def minimal_insert(request):
    # One row into a table every site has; the benchmark's database is scratch.
    Session.objects.create(
        session_key=uuid.uuid4().hex, session_data="", expire_date=timezone.now()
    )
    return HttpResponse("ok", content_type="text/plain", status=201)


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/insert/", minimal_insert),
    *site_urlpatterns,
]
