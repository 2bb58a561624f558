"""Who may do what in the forums, in one place: views, templates, services and the consumer
ask these predicates (tested as a role × round state × moderation mode matrix).

Reading is public in every state (Art. 23.1(b): public access to biosafety information).
Posting needs a verified account, an approved registration to the forum and an open round;
a group's own moderators post without registering. Moderation belongs to the moderators
named on the group (and superusers); a moderator of another group is an ordinary reader here.

The visibility policy — what a viewer may see of a thread, a post, a quote or an earlier
version — is `thread_visible`, `post_access`, `quote_visible` and `revision_note_visible`
here, with the querysets `Thread.objects.listed_for/public` and
`Post.objects.visible_to/readable_by/public` that say the same for lists. Every channel asks
them when it reads (pages, history, report, statistics, CSV, e-mail, the socket's live events
and catch-up): nothing decides visibility on its own. The table is in docs/permissions.md.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.rules import can_participate
from core.moderation import ModerationStatus

from .models import DiscussionGroup, Forum, Post, RoundState, Thread
from .models.forums import RegistrationStatus


def moderated_group_ids(user) -> set[int]:
    """The ids of the groups `user` moderates (cached on the user object: one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_forum_moderated_ids", None)
    if cached is None:
        cached = set(user.moderated_forum_groups.values_list("pk", flat=True))
        user._forum_moderated_ids = cached
    return cached


def is_group_moderator(user, group: DiscussionGroup) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or group.pk in moderated_group_ids(user)


def registration_status(user, forum: Forum) -> str | None:
    """The status of `user`'s registration to `forum`, or None (cached per user: one query)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_forum_registrations", None)
    if cached is None:
        cached = dict(user.forum_registrations.values_list("forum_id", "status"))
        user._forum_registrations = cached
    return cached.get(forum.pk)


def is_registered(user, forum: Forum) -> bool:
    return registration_status(user, forum) == RegistrationStatus.APPROVED


def can_manage_registrations(user, forum: Forum) -> bool:
    """Superusers and the moderators of any of the forum's groups approve registrations."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    ids = moderated_group_ids(user)
    return bool(ids) and any(group.pk in ids for group in forum.groups.all())


def can_register(user, forum: Forum) -> bool:
    return can_participate(user) and registration_status(user, forum) is None


def can_read_forum(user, forum: Forum) -> bool:
    """Every forum is public (Art. 23.1(b)); asked by every channel that names a forum (the
    follow mails included), so restricting one later is a change made here only."""
    return True


def can_read_group(user, group: DiscussionGroup) -> bool:
    """Public in every state: before opening with "opens on …", after closing read-only."""
    return can_read_forum(user, group.forum)


def _date(value) -> str:
    return formats.date_format(value, "DATETIME_FORMAT") + " UTC"


def posting_refusal(user, group: DiscussionGroup, thread: Thread | None = None) -> str | None:
    """Why `user` may not post in `group` (or `thread`) now, in their language; None if they may.

    The one rule behind the reply form, the services and crafted requests alike.
    """
    if not user.is_authenticated:
        return _("Sign in to take part in the discussion.")
    if not can_participate(user):
        return _("Verify your e-mail address to take part in the discussion.")
    state = group.state
    if state == RoundState.SCHEDULED:
        return _("This round opens on %(date)s; posting starts then.") % {
            "date": _date(group.opens_at)
        }
    if state == RoundState.CLOSED:
        return _("This round closed on %(date)s; it is read-only now.") % {
            "date": _date(group.closes_at)
        }
    moderator = is_group_moderator(user, group)
    if not moderator:
        status = registration_status(user, group.forum)
        if status == RegistrationStatus.PENDING:
            return _("Your registration to this forum is awaiting a moderator's approval.")
        if status == RegistrationStatus.DECLINED:
            return _("Your registration to this forum was declined.")
        if status is None:
            return _("Register for this forum to take part in the discussion.")
    if thread is not None and thread.closed and not moderator:
        return _("This thread is closed to new posts.")
    return None


def can_post(user, group: DiscussionGroup, thread: Thread | None = None) -> bool:
    return posting_refusal(user, group, thread) is None


def thread_visible(user, thread: Thread, *, moderator: bool) -> bool:
    """A thread whose opening post is not yet published is seen by its author and the
    group's moderators only (its title included)."""
    if thread.published_at is not None or moderator:
        return True
    return user.is_authenticated and thread.author_id == user.pk


def can_see_thread(user, thread: Thread) -> bool:
    if thread.published_at is not None:
        return True
    return thread_visible(user, thread, moderator=is_group_moderator(user, thread.group))


# What a viewer gets of a post (post_access).
FULL = "full"  # its text
PLACEHOLDER = "placeholder"  # its place, author and the moderator's reason, no text
NONE = ""  # nothing: not even that it exists


def post_access(user, post: Post, *, moderator: bool, thread: Thread | None = None) -> str:
    """FULL, PLACEHOLDER or NONE for `user` (who moderates the post's group if `moderator`).

    - published (in a thread they may see): everyone reads it;
    - hidden: a placeholder for everyone, its author included; the text for the moderators;
    - pending or rejected: the author and the moderators only.
    `thread` saves a query when the caller holds the post's thread.
    """
    if not thread_visible(user, thread or post.thread, moderator=moderator):
        return NONE
    if moderator or post.moderation_status == ModerationStatus.PUBLISHED:
        return FULL
    if post.moderation_status == ModerationStatus.HIDDEN:
        return PLACEHOLDER
    if user.is_authenticated and post.author_id == user.pk:
        return FULL
    return NONE


def can_see_post_body(user, post: Post, *, moderator: bool) -> bool:
    return post_access(user, post, moderator=moderator) == FULL


def quote_visible(user, post: Post, *, moderator: bool) -> bool:
    """A quote is the quoted post's words: shown only to whoever may read that post now, so
    hiding (or never approving) a post takes its words out of every reply that quoted it."""
    quoted = post.reply_to
    if not post.quote or quoted is None:
        return False
    return post_access(user, quoted, moderator=moderator, thread=post.thread) == FULL


def can_see_history(user, post: Post, *, moderator: bool) -> bool:
    """The edit history of a post whose text this reader may read; the author may also read
    the history of their own hidden post (they were mailed its text)."""
    access = post_access(user, post, moderator=moderator)
    if access == FULL:
        return True
    return access == PLACEHOLDER and user.is_authenticated and post.author_id == user.pk


def revision_note_visible(user, post: Post, revision, *, moderator: bool) -> bool:
    """A moderator's note on an edit goes to the author (it is mailed to them) and the group's
    moderators; an author's own note is public with the earlier text it explains."""
    if moderator or (user.is_authenticated and post.author_id == user.pk):
        return True
    return revision.public and not revision.by_moderator


def can_reply(user, thread: Thread) -> bool:
    return can_see_thread(user, thread) and can_post(user, thread.group, thread)


def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own posts while the round is open: in a post-moderated group while
    pending or published; in a pre-moderated group only until a moderator approves the post
    (an approved text is not changed behind the moderators' back)."""
    if not user.is_authenticated or post.author_id != user.pk:
        return False
    editable = ("pending",) if post.group.is_premoderated else ("pending", "published")
    if post.moderation_status not in editable:
        return False
    return can_post(user, post.group, post.thread)


def can_flag(user, post: Post) -> bool:
    """Any verified account may report a published post of someone else that it may read
    (the flag form shows the post: never one in a thread awaiting approval)."""
    if not (can_participate(user) and post.is_published and post.author_id != user.pk):
        return False
    moderator = is_group_moderator(user, post.group)
    return post_access(user, post, moderator=moderator) == FULL


def can_moderate(user, group: DiscussionGroup) -> bool:
    """Approve, edit before approving, reject, hide, restore, pin, close a thread, handle
    flags and post the round summary: the group's moderators, in every round state."""
    return is_group_moderator(user, group)


def can_close_round(user, group: DiscussionGroup) -> bool:
    return can_moderate(user, group) and group.state == RoundState.OPEN


def can_export(user, forum: Forum) -> bool:
    """The CSV of posts with metadata is for the forum's moderators."""
    return can_manage_registrations(user, forum)


def moderation_log_scope(user):
    """The forum decisions in the moderation log that `user` may read (a Q on ModerationLog):
    those on the posts, threads and rounds of the groups they moderate, and on registrations
    to the forums those groups belong to. A moderator's notes may carry what they removed
    from a post, so another group's moderators do not read them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    from .models import Registration

    if user.is_superuser:
        return Q()
    ids = moderated_group_ids(user)
    forum_ids = DiscussionGroup.objects.filter(pk__in=ids).values_list("forum_id", flat=True)
    owned = {
        Post: Post.objects.filter(group_id__in=ids),
        Thread: Thread.objects.filter(group_id__in=ids),
        DiscussionGroup: DiscussionGroup.objects.filter(pk__in=ids),
        Registration: Registration.objects.filter(forum_id__in=forum_ids),
    }
    scope = Q(pk__in=[])
    for model, queryset in owned.items():
        # object_id is text (the log serves every model): compare as text, in one subquery.
        keys = queryset.annotate(key=Cast("pk", CharField())).values("key")
        scope |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    return scope
