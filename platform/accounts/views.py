from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .rules import can_access_admin, has_verified_email
from .services import profile_for, profile_update

ADMIN_HOME = "/admin/"


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        # Show the saved page in the language just chosen.
        url = translate_url(reverse("accounts:profile"), profile.preferred_language)
        return HttpResponseRedirect(url)
    return render(
        request,
        "accounts/profile_form.html",
        {"form": form, "profile": profile, "email_verified": has_verified_email(request.user)},
        status=400 if form.errors else 200,
    )


def _safe_next(request, default: str) -> str:
    target = request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def sign_in_elsewhere(request, default_next=ADMIN_HOME):
    """Wagtail's login forms (/admin/login/ and the front end's /<lang>/_util/login/), which
    check the password with Django's backend alone, answer here instead: every sign-in is
    allauth's, with mandatory e-mail verification and its rate limits (issue 11, finding 8).

    Someone already signed in is sent here only when refused: they are told so, rather than
    sent back to a login page that would send them on again.
    """
    target = _safe_next(request, default_next)
    if request.user.is_authenticated:
        if target.startswith(ADMIN_HOME) and can_access_admin(request.user):
            return HttpResponseRedirect(target)
        raise PermissionDenied
    query = QueryDict(mutable=True)
    query["next"] = target
    return HttpResponseRedirect(f"{reverse('account_login')}?{query.urlencode(safe='/')}")


def password_reset_elsewhere(request):
    """The admin's "forgotten password" is allauth's reset, which is rate limited."""
    return HttpResponseRedirect(reverse("account_reset_password"))


@login_required
def contributions(request):
    """My contributions: the person's comments (reference, state, receipt, the response once
    the outcome is published) and forum posts (state, and the reason if refused or hidden)."""
    from consultations.selectors import comments_by
    from forums.selectors import posts_by

    return render(
        request,
        "accounts/contributions.html",
        {"comments": comments_by(request.user), "posts": posts_by(request.user)},
    )
