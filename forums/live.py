"""The forums' audiences on the live hub and the per-group event log that backs them.

Every live event is first written to `ForumEvent` with the group's next sequence number, in
the same transaction as the change it reports; it is sent to the hub only after commit, as
each audience may see it. Catch-up rebuilds each missed event from the current state of its
post or thread, for the viewer asking (forums.payloads, rules.post_access).
Sequence numbers are taken under the group's row lock, so events commit in `seq` order and a
client catching up "after N" can never miss one that commits later with a smaller number.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F

from core.events import group_name
from core.live import live_event
from core.live.control import reauthorise_user

from .models import DiscussionGroup, EventAudience, ForumEvent, Post, Thread
from .payloads import event_message, skipped_message

CATCH_UP_LIMIT = 200  # more missed events than this: the client reloads the page


def audience_public(group_id: int) -> str:
    return group_name("forums", group_id)


def audience_moderators(group_id: int) -> str:
    return group_name("forums", group_id, "mod")


def audience_user(group_id: int, user_id: int) -> str:
    return group_name("forums", group_id, "user", user_id)


def _targets(group: DiscussionGroup, audience: str, user):
    """(channel-layer audience, viewer, moderates the group) for each audience of an event."""
    if audience == EventAudience.PUBLIC:
        yield audience_public(group.pk), AnonymousUser(), False
    elif audience == EventAudience.MODERATORS:
        yield audience_moderators(group.pk), AnonymousUser(), True
    if user is not None:
        yield audience_user(group.pk, user.pk), user, False


def event_emit(
    *,
    group: DiscussionGroup,
    type: str,
    audience: str,
    post=None,
    thread=None,
    data: dict | None = None,
    user=None,
):
    """Log one event for `group` and send it after commit to the audiences that may see it.

    `audience` is public, moderators (plus `user`, e.g. the author of a pending post) or user.
    The log keeps which `post` or `thread` it is about and `data` (facts without user text);
    each audience's message is built through the visibility policy (forums.payloads).
    """
    audience = EventAudience(audience)
    stored = dict(data or {})
    if post is not None:
        stored["post_id"] = post.pk
    if thread is not None:
        stored["thread_id"] = thread.pk
    # Part of the caller's transaction, without a savepoint of its own: nothing catches a
    # failure here to go on, and the two round trips of a savepoint held the group's lock.
    with transaction.atomic(savepoint=False):
        # The UPDATE takes the group's row lock until commit: sequence numbers commit in order.
        DiscussionGroup.objects.filter(pk=group.pk).update(last_seq=F("last_seq") + 1)
        seq, prev_public = (
            DiscussionGroup.objects.filter(pk=group.pk)
            .values_list("last_seq", "last_public_seq")
            .get()
        )
        group.last_seq = seq
        if audience == EventAudience.PUBLIC:
            DiscussionGroup.objects.filter(pk=group.pk).update(last_public_seq=seq)
            group.last_public_seq = seq
        else:
            prev_public = None
        event = ForumEvent.objects.create(
            group=group,
            seq=seq,
            type=type,
            audience=audience,
            user=user,
            payload=stored,
            prev_public=prev_public,
        )
        for target, viewer, moderator in _targets(group, audience, user):
            message = event_message(
                event, viewer, moderator=moderator, post=post, thread=thread, group=group
            )
            if message is not None:
                live_event(target, message)
    return event


def _subjects(events, group_id: int) -> tuple[dict, dict]:
    """The posts and threads `events` are about, with the posts they reply to and everyone's
    profile, each row read once however many events name it (a constant number of queries)."""
    from django.contrib.auth import get_user_model

    post_ids = {e.post_ref for e in events if e.post_ref is not None}
    posts = {p.pk: p for p in Post.objects.filter(pk__in=post_ids, group_id=group_id)}
    quoted_ids = {p.reply_to_id for p in posts.values() if p.reply_to_id} - set(posts)
    quoted = {p.pk: p for p in Post.objects.filter(pk__in=quoted_ids)} if quoted_ids else {}
    thread_ids = {e.thread_ref for e in events if e.thread_ref is not None}
    thread_ids |= {p.thread_id for p in posts.values()}
    threads = {t.pk: t for t in Thread.objects.filter(pk__in=thread_ids, group_id=group_id)}
    author_ids = {p.author_id for p in [*posts.values(), *quoted.values()]}
    author_ids |= {t.author_id for t in threads.values()}
    users = get_user_model().objects.filter(pk__in=author_ids).select_related("profile")
    users = {u.pk: u for u in users} if author_ids else {}
    for thread in threads.values():
        thread.author = users[thread.author_id]
    everyone = {**quoted, **posts}
    for post in everyone.values():
        post.author = users[post.author_id]
        post.thread = threads.get(post.thread_id) or post.thread
        if post.reply_to_id in everyone:
            post.reply_to = everyone[post.reply_to_id]
    return posts, threads


def catch_up(*, group_id: int, after: int, user, moderator: bool) -> dict:
    """What a reconnecting viewer missed, (after, S] where S is the group's current number:
    each event as this viewer may see it NOW (from the current state of its post or thread,
    through the visibility policy; never the text as first sent). More than CATCH_UP_LIMIT
    events: {"reload": True}. Later events reach the socket live (it subscribed first)."""
    group = DiscussionGroup.objects.filter(pk=group_id).first()
    seq = group.last_seq if group is not None else 0
    events = list(
        ForumEvent.objects.filter(group_id=group_id, seq__gt=after, seq__lte=seq)
        .seen_by(user_id=user.pk if user.is_authenticated else None, moderator=moderator)
        .order_by("seq")[: CATCH_UP_LIMIT + 1]
    )
    if len(events) > CATCH_UP_LIMIT:
        return {"reload": True, "seq": seq, "events": []}
    posts, threads = _subjects(events, group_id)
    messages, labels = [], {}
    for event in events:
        message = event_message(
            event,
            user,
            moderator=moderator,
            post=posts.get(event.post_ref),
            thread=threads.get(event.thread_ref),
            group=group,
            labels=labels,
        )
        if message is not None:
            messages.append(message)
        elif event.audience == EventAudience.PUBLIC:
            messages.append(skipped_message(event))
    return {"reload": False, "seq": seq, "events": messages}


# --- re-authorising sockets ----------------------------------------------------------------
# Moderators are named on a group in the Wagtail admin (a form saving the many-to-many field),
# so their changes are caught here, with the registrations' (decided, revoked, deleted): the
# person's open sockets re-check their rights on every worker (core.live.control).


def _moderators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        if reverse:  # user.moderated_forum_groups.clear(): the user is `instance`
            instance._live_cleared = [instance.pk]
        else:
            instance._live_cleared = list(instance.moderators.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        user_ids = getattr(instance, "_live_cleared", [])
    elif reverse:
        user_ids = [instance.pk]
    else:
        user_ids = list(pk_set or ())
    for user_id in user_ids:
        reauthorise_user(user_id, reason="forum_moderators")


def _registration_changed(sender, instance, **kwargs):
    reauthorise_user(instance.user_id, reason="forum_registration")


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import DiscussionGroup, Registration

    uid = "forums.live"
    m2m_changed.connect(
        _moderators_changed,
        sender=DiscussionGroup.moderators.through,
        dispatch_uid=f"{uid}.moderators",
    )
    post_save.connect(_registration_changed, sender=Registration, dispatch_uid=f"{uid}.reg")
    post_delete.connect(_registration_changed, sender=Registration, dispatch_uid=f"{uid}.unreg")
