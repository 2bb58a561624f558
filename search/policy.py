"""Who may find what. The ONE module where search asks the apps' visibility policies.

Search never decides visibility itself: it asks the forums' and consultations' rules and
querysets, and Wagtail's page privacy, three times over:

1. when indexing (`*_access`): what is public is indexed as public; what only its author
   and a moderation scope may see is indexed with those keys; nothing else is indexed
   (no page that is unpublished or private, nor anything on such a page);
2. when querying (`viewer`): the rows a person may see are filtered in the database;
3. when reading (`visible`): every result is checked again against the objects' current
   state, so an index row that a moderation decision has not yet reached never shows.

When the apps' policy functions are renamed, re-point them here; nothing else in search
imports a rule.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.rules import is_consultation_officer
from core.moderation import ModerationStatus

CONSULTATIONS_SCOPE = "consultations"


def forum_group_scope(group_id: int) -> str:
    return f"forums.group:{group_id}"


@dataclass(frozen=True)
class Access:
    """Who may find an entry: everyone (`public`), else its author and the people of
    `scope`. `status` says why it is not public, for the mark shown to those who see it."""

    public: bool
    author_id: int | None = None
    scope: str = ""
    status: str = ""


PUBLIC = Access(public=True)

STATUS_LABELS = {
    ModerationStatus.PENDING: _("Awaiting moderation"),
    ModerationStatus.REJECTED: _("Rejected"),
    ModerationStatus.HIDDEN: _("Hidden by a moderator"),
    "confidential": _("Confidential (Art. 21)"),
    "thread_pending": _("Thread awaiting approval"),
}


# --- 1. indexing -----------------------------------------------------------------------


def public_pages(queryset):
    """Pages anyone may read: published, and under no Wagtail privacy restriction."""
    return queryset.live().public()


def page_is_public(page) -> bool:
    return public_pages(Page.objects.filter(pk=page.pk)).exists()


def thread_access(thread) -> Access:
    """forums.rules.can_see_thread: public once its opening post is published; before
    that its author and the group's moderators."""
    if thread.published_at is not None:
        return PUBLIC
    return Access(
        public=False,
        author_id=thread.author_id,
        scope=forum_group_scope(thread.group_id),
        status="thread_pending",
    )


def post_access(post, thread) -> Access:
    """forums.rules.can_see_post_body: the text of a published post in a public thread is
    public; pending, rejected and hidden text only for its author and the moderators."""
    if post.moderation_status == ModerationStatus.PUBLISHED and thread.published_at is not None:
        return PUBLIC
    status = post.moderation_status
    if status == ModerationStatus.PUBLISHED:
        status = "thread_pending"
    return Access(
        public=False,
        author_id=post.author_id,
        scope=forum_group_scope(post.group_id),
        status=status,
    )


def comment_access(comment) -> Access:
    """consultations.rules.can_see_comment: `Comment.objects.public()` is public; every
    other comment (pending, rejected, hidden, confidential) its author and the officers.
    Only the comment's text is indexed: never the confidential justification, the names
    or an officer's response."""
    if comment.is_public:
        return PUBLIC
    status = "confidential" if comment.confidential else comment.moderation_status
    return Access(
        public=False, author_id=comment.author_id, scope=CONSULTATIONS_SCOPE, status=status
    )


# --- 2. querying -----------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    scopes: frozenset[str]
    everything: bool = False  # superusers: every scope

    @property
    def restricted_sql(self) -> tuple[str, list]:
        """The condition on entry `e` for the rows this viewer may find."""
        if self.everything:
            return "1 = 1", []
        clauses, params = ["e.public"], []
        if self.user_id is not None:
            clauses.append("e.author_id = %s")
            params.append(self.user_id)
        if self.scopes:
            clauses.append(f"e.scope IN ({', '.join('%s' for _ in self.scopes)})")
            params.extend(sorted(self.scopes))
        return "(" + " OR ".join(clauses) + ")", params


def viewer(user) -> Viewer:
    """The keys `user` holds: their own id, the groups they moderate (forums.rules), and
    the consultation officers' scope."""
    from forums.rules import moderated_group_ids

    if not user.is_authenticated or not user.is_active:
        return Viewer(user_id=None, scopes=frozenset())
    if user.is_superuser:
        return Viewer(user_id=user.pk, scopes=frozenset(), everything=True)
    scopes = {forum_group_scope(pk) for pk in moderated_group_ids(user)}
    if is_consultation_officer(user):
        scopes.add(CONSULTATIONS_SCOPE)
    return Viewer(user_id=user.pk, scopes=frozenset(scopes))


# --- 3. reading ------------------------------------------------------------------------


PAGE_SOURCES = ("courses.page", "consultations.page")


def visible(user, entries: list) -> list:
    """The entries whose objects `user` may still see now, each with `.mark` (a label
    when it is not public). A fixed number of queries, whatever the number of entries."""
    from consultations import rules as consultation_rules
    from consultations.models import Comment
    from forums import rules as forum_rules
    from forums.models import Post, Thread

    by_source: dict[str, set[int]] = {}
    for entry in entries:
        by_source.setdefault(entry.source, set()).add(entry.object_id)

    comments = {}
    if ids := by_source.get("consultations.comment"):
        comments = {
            c.pk: c for c in Comment.objects.filter(pk__in=ids).select_related("consultation")
        }
    page_ids = set()
    for source in PAGE_SOURCES:
        page_ids |= by_source.get(source, set())
    page_ids |= {c.consultation_id for c in comments.values()}
    live_pages = set()
    if page_ids:
        live_pages = set(
            public_pages(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True)
        )
    threads = {}
    if ids := by_source.get("forums.thread"):
        threads = {t.pk: t for t in Thread.objects.filter(pk__in=ids).select_related("group")}
    posts = {}
    if ids := by_source.get("forums.post"):
        posts = {p.pk: p for p in Post.objects.filter(pk__in=ids).select_related("thread__group")}

    page_answers: dict[int, tuple[bool, bool]] = {}
    shown = []
    for entry in entries:
        mark = ""
        if entry.source in PAGE_SOURCES:
            ok = entry.object_id in live_pages
        elif entry.source == "forums.thread":
            thread = threads.get(entry.object_id)
            ok = thread is not None and forum_rules.can_see_thread(user, thread)
            if ok and thread.published_at is None:
                mark = STATUS_LABELS["thread_pending"]
        elif entry.source == "forums.post":
            post = posts.get(entry.object_id)
            ok = post is not None and forum_rules.can_see_thread(user, post.thread)
            if ok:
                moderator = forum_rules.is_group_moderator(user, post.thread.group)
                ok = forum_rules.can_see_post_body(user, post, moderator=moderator)
            if ok and not post.is_published:
                mark = STATUS_LABELS.get(post.moderation_status, "")
            elif ok and post.thread.published_at is None:
                mark = STATUS_LABELS["thread_pending"]
        elif entry.source == "consultations.comment":
            comment = comments.get(entry.object_id)
            ok = comment is not None and comment.consultation_id in live_pages
            if ok:
                # What can_see_comment asks of the page, asked once per consultation.
                key = comment.consultation_id
                if key not in page_answers:
                    page_answers[key] = consultation_rules.comment_page_access(
                        user, comment.consultation
                    )
                manages, viewable = page_answers[key]
                ok = manages or (
                    viewable
                    and (
                        comment.is_public
                        or bool(user.is_authenticated and comment.author_id == user.pk)
                    )
                )
            if ok and not comment.is_public:
                key = "confidential" if comment.confidential else comment.moderation_status
                mark = STATUS_LABELS.get(key, "")
        else:
            ok = False
        if ok:
            entry.mark = mark
            shown.append(entry)
    return shown
