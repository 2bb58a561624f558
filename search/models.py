"""The search index: one row per findable thing, whatever app it comes from.

A row holds what results show (title, where it sits, a plain-text excerpt source, the link)
and what filters need (area, kind, language, date, the consultation's period) and who may
see it (`public`, or its author and one moderation scope). The lexemes themselves live
where each database searches best (search/backends/): an FTS5 table on SQLite, a tsvector
column with a GIN index on PostgreSQL. Rows are written only by search.index.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Area(models.TextChoices):
    COURSES = "courses", _("Courses")
    FORUMS = "forums", _("Discussions")
    CONSULTATIONS = "consultations", _("Consultations")


class Kind(models.TextChoices):
    COURSE = "course", _("Course")
    MODULE = "module", _("Module")
    LESSON = "lesson", _("Lesson")
    THREAD = "thread", _("Thread")
    POST = "post", _("Post")
    CONSULTATION = "consultation", _("Consultation")
    SECTION = "section", _("Draft section")
    COMMENT = "comment", _("Comment")


AREA_OF_KIND = {
    Kind.COURSE: Area.COURSES,
    Kind.MODULE: Area.COURSES,
    Kind.LESSON: Area.COURSES,
    Kind.THREAD: Area.FORUMS,
    Kind.POST: Area.FORUMS,
    Kind.CONSULTATION: Area.CONSULTATIONS,
    Kind.SECTION: Area.CONSULTATIONS,
    Kind.COMMENT: Area.CONSULTATIONS,
}


class LexemeVectorField(models.TextField):
    """The lexemes where the database searches them in the row itself: a tsvector on
    PostgreSQL (filled by search/backends/postgres.py, GIN-indexed by migration 0002).
    Elsewhere an unused text column: SQLite keeps the lexemes in its FTS5 table."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class SearchEntryManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().defer("vector")


class SearchEntry(models.Model):
    # What it is: `source` names the model ("forums.post"), `part` a piece of it (a section).
    source = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    part = models.CharField(max_length=64, blank=True)
    # Entries refreshed together: a thread and its posts, a consultation's translations,
    # sections and comments ("forums.thread:12", "consultation:<translation key>").
    family = models.CharField(max_length=64, db_index=True)
    area = models.CharField(max_length=16, choices=Area.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    language = models.CharField(max_length=8)
    # What results show. `body` is plain text: the snippet is cut from it and escaped.
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    trail = models.JSONField(default=list)  # labels of where it sits: course › module
    url = models.CharField(max_length=500)
    anchor = models.CharField(max_length=80, blank=True)
    date = models.DateTimeField(default=timezone.now)
    # The consultation's comment period (consultation, section and comment rows), so that
    # the state facet follows the clock without re-indexing.
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    has_outcome = models.BooleanField(default=False)
    # Who may find it: everyone, or its author and the people of `scope` (a discussion
    # group's moderators "forums.group:3", the consultation officers "consultations").
    public = models.BooleanField(default=True)
    author_id = models.BigIntegerField(null=True, blank=True)
    scope = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=16, blank=True)  # why not public, for the badge
    indexed_at = models.DateTimeField(default=timezone.now)
    vector = LexemeVectorField(null=True, editable=False)

    objects = SearchEntryManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "part"], name="search_entry_unique_object"
            )
        ]
        indexes = [
            models.Index(fields=["scope"], name="search_entry_scope"),
            models.Index(fields=["author_id"], name="search_entry_author"),
            models.Index(fields=["source", "indexed_at"], name="search_entry_source_indexed"),
        ]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return f"{self.source}#{self.object_id}{'/' + self.part if self.part else ''}"

    def get_absolute_url(self):
        return f"{self.url}#{self.anchor}" if self.anchor else self.url


class RebuildCheckpoint(models.Model):
    """Where `manage.py search_rebuild` got to, so that an interrupted rebuild resumes."""

    source = models.CharField(max_length=32, unique=True)
    last_id = models.BigIntegerField(default=0)
    done = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.source} after {self.last_id}"
