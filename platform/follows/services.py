"""Following and unfollowing; the signed one-click unsubscribe link every mail carries."""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Follow, FollowKind

UNSUBSCRIBE_SALT = "follows.unsubscribe"


def _check_forum_target(user, kind: str, target: str) -> None:
    """A round that has not closed, or a forum, that the forums' visibility policy lets this
    person read; anything else does not exist for them."""
    from forums import rules
    from forums.models import DiscussionGroup, Forum

    found = None
    if target.isdigit():
        if kind == FollowKind.ROUND:
            found = DiscussionGroup.objects.select_related("forum").filter(pk=target).first()
        else:
            found = Forum.objects.filter(pk=target).first()
    readable = found is not None and (
        rules.can_read_group(user, found)
        if kind == FollowKind.ROUND
        else rules.can_read_forum(user, found)
    )
    if not readable:
        raise ValidationError(_("This forum round cannot be followed."))
    if kind == FollowKind.ROUND and found.is_closed:
        raise ValidationError(_("This round is closed: there is nothing more to tell you."))


def _check_target(user, kind: str, target: str) -> None:
    from consultations.models import ConsultationPage, DecisionType

    if kind == FollowKind.CONSULTATION:
        # Only what the visibility policy shows may be followed (a private or draft
        # consultation does not exist for the public).
        if not ConsultationPage.objects.live().public().filter(translation_key=target).exists():
            raise ValidationError(_("This consultation cannot be followed."))
    elif kind == FollowKind.DECISION_TYPE:
        if target not in DecisionType.values:
            raise ValidationError(_("Choose a decision type from the list."))
    elif kind in (FollowKind.ROUND, FollowKind.FORUM):
        _check_forum_target(user, kind, target)
    else:
        raise ValidationError(_("Unknown kind of follow."))


@transaction.atomic
def follow_set(*, user, kind: str, target: str, on: bool) -> bool:
    """Starts (`on`) or stops following; returns whether the person follows afterwards."""
    target = str(target)
    if not on:
        Follow.objects.filter(user=user, kind=kind, target=target).delete()
        return False
    _check_target(user, kind, target)
    Follow.objects.get_or_create(user=user, kind=kind, target=target)
    return True


def unsubscribe_token(follow: Follow) -> str:
    # Signed, not stored: the link works without signing in, and only for this one follow.
    return signing.dumps({"f": follow.pk, "u": follow.user_id}, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token: str) -> Follow | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Follow.objects.filter(pk=data.get("f"), user_id=data.get("u")).first()


def unsubscribe(token: str) -> bool:
    """Ends the follow the token names; False for a bad token or one already used."""
    follow = follow_from_token(token)
    if follow is None:
        return False
    follow.delete()
    return True
