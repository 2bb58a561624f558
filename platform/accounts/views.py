from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .rules import has_verified_email
from .services import profile_for, profile_update


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
