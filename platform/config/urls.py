import re
from urllib.parse import urlsplit

from allauth.account import views as allauth_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from core import page_passwords, page_routes
from core import views as core_views

urlpatterns = [
    # The admin signs in, out and resets passwords through allauth (docs/permissions.md).
    path("admin/login/", account_views.sign_in_elsewhere),
    path("admin/logout/", allauth_views.logout),
    path("admin/password_reset/", account_views.password_reset_elsewhere),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms, throttled per address (core.page_passwords).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        page_passwords.document_password,
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
]

if settings.DEBUG and not urlsplit(settings.MEDIA_URL).netloc:  # as django's static() decides
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", core_views.media)]

urlpatterns += i18n_patterns(
    # Under the prefix, so that set_language knows the page's language and can translate `next`.
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("accounts.urls")),
    path("courses/", include("courses.urls")),
    path("forums/", include("forums.urls")),
    path("consultations/", include("consultations.urls")),
    path("follow/", include("follows.urls")),
    # Wagtail's front-end login form (for private pages) is allauth's sign-in too.
    path("_util/login/", account_views.sign_in_elsewhere, {"default_next": "/"}),
    path("search/", include("search.urls")),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_passwords.page_password,
    ),
    # Wagtail's catch-all comes last; its pages found through the route cache (core.page_routes).
    *[p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, page_routes.serve, name="wagtail_serve"),
    prefix_default_language=True,
)
