"""Follow / unfollow (signed-in people, POST) and the one-click unsubscribe link of every mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .models import FollowKind


def _back(request):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@require_POST
@login_required
def follow(request):
    kind = request.POST.get("kind", "")
    target = request.POST.get("target", "")
    on = request.POST.get("on") == "1"
    if kind not in FollowKind.values:
        messages.error(request, _("Unknown kind of follow; nothing was changed."))
        return _back(request)
    try:
        following = services.follow_set(user=request.user, kind=kind, target=target, on=on)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request)
    if following:
        messages.success(request, _("Done: we will e-mail you. Every mail has a link to stop."))
    else:
        messages.info(request, _("Done: no more e-mails about this."))
    return _back(request)


# Mail programs post here without a session or CSRF token (RFC 8058 one-click): the signed
# token is the authority, and it can only ever end one follow.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    follow = services.follow_from_token(token)
    if request.method == "POST":
        done = services.unsubscribe(token)
        return render(
            request, "follows/unsubscribed.html", {"done": done}, status=200 if done else 400
        )
    return render(
        request,
        "follows/unsubscribe.html",
        {"follow": follow, "token": token},
        status=200 if follow else 400,
    )
