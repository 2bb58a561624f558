from django import template

from ..models import Follow, FollowKind

register = template.Library()


@register.inclusion_tag("follows/_follow_form.html", takes_context=True)
def follow_form(context, kind, target, label=""):
    """ "Notify me" / "Stop notifying me" for the signed-in reader (one query); a sign-in
    link for anyone else."""
    request = context["request"]
    user = request.user
    following = bool(
        user.is_authenticated
        and Follow.objects.filter(user=user, kind=kind, target=str(target)).exists()
    )
    return {
        "request": request,
        "kind": kind,
        "target": str(target),
        "following": following,
        "label": label,
        "is_type": kind == FollowKind.DECISION_TYPE,
        "csrf_token": context.get("csrf_token"),
    }
