from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.moderation import Moderated, ModeratedQuerySet, ModerationStatus
from core.submissions import submission_token_field

from .groups import DiscussionGroup


class ThreadQuerySet(models.QuerySet):
    """Which threads a reader finds: the forums' visibility policy for threads (the rule for
    one thread is rules.thread_visible; docs/permissions.md has the table)."""

    def public(self):
        """Threads whose opening post a moderator published (or that never needed approval)."""
        return self.filter(published_at__isnull=False)

    def listed_for(self, user, *, moderator: bool):
        """Threads a reader sees in the group's list: the public ones, the reader's own, and
        for the group's moderators all of them."""
        if moderator:
            return self
        if user.is_authenticated:
            return self.filter(models.Q(published_at__isnull=False) | models.Q(author=user))
        return self.public()


class Thread(models.Model):
    """A topic in a discussion group. It is public once its opening post is published."""

    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_threads"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # The new-thread form's one-use token: the same form sent twice opens one thread.
    submission_token = submission_token_field()

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="forums_thread_token"
            )
        ]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", kwargs={"group_id": self.group_id, "thread_id": self.pk})


_PUBLIC_THREAD = models.Q(thread__published_at__isnull=False)


class PostQuerySet(ModeratedQuerySet):
    """The forums' visibility policy for posts, as querysets (the rule for one post is
    rules.post_access; docs/permissions.md has the table). `moderator` means: moderates the
    group these posts belong to. Querysets spanning several groups use `public()`."""

    def visible_to(self, user, *, moderator: bool):
        """Posts shown in a thread, with their text or as a placeholder: published and hidden
        posts of public threads, the reader's own in any state (in threads they may see), and
        for the group's moderators everything."""
        if moderator:
            return self
        shown = (
            models.Q(moderation_status__in=[ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN])
            & _PUBLIC_THREAD
        )
        if user.is_authenticated:
            shown |= models.Q(author=user) & (_PUBLIC_THREAD | models.Q(thread__author=user))
        return self.filter(shown)

    def readable_by(self, user, *, moderator: bool):
        """Posts whose text this reader may read: published posts of public threads, the
        reader's own pending or rejected ones, and for the group's moderators everything."""
        if moderator:
            return self
        shown = models.Q(moderation_status=ModerationStatus.PUBLISHED) & _PUBLIC_THREAD
        if user.is_authenticated:
            shown |= (
                models.Q(author=user)
                & ~models.Q(moderation_status=ModerationStatus.HIDDEN)
                & (_PUBLIC_THREAD | models.Q(thread__author=user))
            )
        return self.filter(shown)

    def public(self):
        """What anyone may read: published posts of public threads. The round report, the
        statistics, the CSV export and the digest are made of these."""
        return self.filter(models.Q(moderation_status=ModerationStatus.PUBLISHED) & _PUBLIC_THREAD)

    def with_related(self):
        return self.select_related(
            "author__profile", "reply_to__author__profile", "thread", "moderated_by"
        )


class Post(Moderated):
    """A contribution to a thread. The body is clean HTML from core.sanitize, never raw input.
    `reply_to` is the post answered; `quote` an excerpt of it that the author chose to cite."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    group = models.ForeignKey(DiscussionGroup, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    body = models.TextField(_("text"))
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    quote = models.TextField(_("quoted text"), blank=True, max_length=1000)
    is_opening = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    # The reply form's one-use token: the same form sent twice makes one post.
    submission_token = submission_token_field()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["group", "moderation_status", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["author", "submission_token"], name="forums_post_token")
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"#{self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"


class PostRevisionQuerySet(models.QuerySet):
    def visible_to(self, user, post: "Post", *, moderator: bool):
        """The earlier versions of `post` this reader may read: the group's moderators and the
        post's author see them all; everyone else only texts that were public before the edit
        (never what a moderator took out before approving, nor a pending draft)."""
        if moderator or (user.is_authenticated and post.author_id == user.pk):
            return self
        return self.filter(public=True)


class PostRevision(models.Model):
    """A post's text before one of its edits: the edit history shown beside the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    by_moderator = models.BooleanField(default=False)
    # Whether `body` had been published when it was replaced: only such texts stay public.
    public = models.BooleanField(default=False)

    objects = PostRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("edit history")

    def __str__(self):
        return f"post {self.post_id} before {self.edited_at:%Y-%m-%d %H:%M}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Acted on")
    DISMISSED = "dismissed", _("Dismissed")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSIVE = "abusive", _("Abusive or offensive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PERSONAL_DATA = "personal_data", _("Reveals personal or confidential information")
    OTHER = "other", _("Other")


class Flag(models.Model):
    """A participant's report that a post needs a moderator's attention."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags"
    )
    reason_code = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    reason = models.TextField(_("details"), blank=True, max_length=1000)
    status = models.CharField(
        max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="forums_one_open_flag_per_reporter",
            )
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return f"flag {self.reason_code} on post {self.post_id}"
