"""Wagtail's password forms for private pages and document collections, throttled per client
address: a shared password is otherwise open to unlimited guessing.

Each POST counts towards PAGE_PASSWORD_RATE ("count/seconds") for the address, as allauth
counts sign-in attempts; over the limit the form comes back with the reason (429) and the
password is not checked at all, right or wrong.
"""

from allauth.account.adapter import get_adapter
from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from .ratelimit import Rate, rate_limit_exceeded


class ThrottledPasswordForm(PasswordViewRestrictionForm):
    def clean_password(self):
        raise forms.ValidationError(
            _("Too many password attempts from your network. Please wait a few minutes."),
            code="throttled",
        )


def _throttled(request) -> bool:
    if request.method != "POST":
        return False
    address = get_adapter(request).get_client_ip(request)
    rate = Rate.parse(settings.PAGE_PASSWORD_RATE)
    return rate_limit_exceeded(scope="page-password", key=address, rate=rate)


def page_password(request, page_view_restriction_id, page_id):
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    if not _throttled(request):
        return page_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    form = ThrottledPasswordForm(request.POST, instance=restriction)
    form.is_valid()
    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    response = page.serve_password_required_response(request, form, action)
    response.status_code = 429
    return response


def document_password(request, restriction_id):
    restriction = get_object_or_404(CollectionViewRestriction, id=restriction_id)
    if not _throttled(request):
        return document_views.authenticate_with_password(request, restriction_id)
    form = ThrottledPasswordForm(request.POST, instance=restriction)
    form.is_valid()
    action = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    template = getattr(
        settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
    )
    return TemplateResponse(request, template, {"form": form, "action_url": action}, status=429)
