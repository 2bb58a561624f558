"""Rebuilding the whole index in batches, resumably (`manage.py search_rebuild`).

Each source is read in primary-key order, a batch at a time, through the same builders as
the live updates (search.sources) and the same policy (search.policy). After each batch a
checkpoint records the last key, so an interrupted rebuild continues where it stopped.
When a source is done, its entries not rewritten since the rebuild began (objects deleted
or no longer visible meanwhile) are dropped.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import Page

from . import index, policy, sources
from .models import RebuildCheckpoint, SearchEntry


@dataclass(frozen=True)
class Source:
    name: str  # the entries' `source`
    label: str
    queryset: Callable  # () -> the objects to walk, by pk
    batch: Callable  # (objects) -> number of entries written


def _course_pages():
    from courses.models import CoursePage, LessonPage, ModulePage

    return Page.objects.type(CoursePage, ModulePage, LessonPage)


def _course_batch(pages) -> int:
    ids = {p.pk for p in pages}
    visible = (
        policy.public_pages(Page.objects.filter(pk__in=ids)).select_related("locale").specific()
    )
    return index.store(sources.course_documents(list(visible)), replace={"courses.page": ids})


def _consultation_pages():
    from consultations.models import ConsultationPage

    return ConsultationPage.objects.all()


def _consultation_batch(pages) -> int:
    ids = {p.pk for p in pages}
    visible = policy.public_pages(_consultation_pages().filter(pk__in=ids).select_related("locale"))
    documents = [d for page in visible for d in sources.consultation_documents(page)]
    return index.store(documents, replace={"consultations.page": ids})


def _threads():
    from forums.models import Thread

    return Thread.objects.select_related("group__forum")


def _thread_batch(threads) -> int:
    return index.store(
        sources.thread_documents(threads), replace={"forums.thread": {t.pk for t in threads}}
    )


def _posts():
    from forums.models import Post

    return Post.objects.select_related("thread__group__forum", "group")


def _post_batch(posts) -> int:
    return index.store(
        sources.post_documents(posts), replace={"forums.post": {p.pk for p in posts}}
    )


def _comments():
    from consultations.models import Comment

    return Comment.objects.all()


_places_cache: dict = {}


def _comment_batch(comments) -> int:
    from consultations.models import ConsultationPage

    by_page: dict[int, list] = {}
    for comment in comments:
        by_page.setdefault(comment.consultation_id, []).append(comment)
    visible = {
        page.pk: page
        for page in policy.public_pages(
            ConsultationPage.objects.filter(pk__in=by_page).select_related("locale")
        )
    }
    documents = []
    for page_id, group in by_page.items():
        page = visible.get(page_id)
        if page is None:
            continue  # a page nobody may see: its comments are not indexed
        if page_id not in _places_cache:
            _places_cache[page_id] = sources.comment_places(page)
        documents += sources.comment_documents(page, group, _places_cache[page_id])
    return index.store(documents, replace={"consultations.comment": {c.pk for c in comments}})


SOURCES = (
    Source("courses.page", "course pages", _course_pages, _course_batch),
    Source("consultations.page", "consultations", _consultation_pages, _consultation_batch),
    Source("forums.thread", "threads", _threads, _thread_batch),
    Source("forums.post", "posts", _posts, _post_batch),
    Source("consultations.comment", "comments", _comments, _comment_batch),
)


def plan(*, restart: bool) -> list[tuple[Source, RebuildCheckpoint]]:
    """The sources with their checkpoints: resumed where an earlier run stopped, or all
    from the start (`restart`, or when the previous rebuild finished)."""
    checkpoints = {c.source: c for c in RebuildCheckpoint.objects.all()}
    finished = checkpoints and all(c.done for c in checkpoints.values())
    if restart or finished or len(checkpoints) != len(SOURCES):
        RebuildCheckpoint.objects.all().delete()
        now = timezone.now()
        checkpoints = {
            s.name: RebuildCheckpoint.objects.create(source=s.name, started_at=now) for s in SOURCES
        }
    _places_cache.clear()
    return [(s, checkpoints[s.name]) for s in SOURCES]


def run_source(source: Source, checkpoint: RebuildCheckpoint, *, batch_size: int, progress=None):
    """Index `source` from its checkpoint to the end; `progress(done, total)` after each
    batch. Returns the number of entries written."""
    objects = source.queryset().order_by("pk")
    total = objects.count()
    done = objects.filter(pk__lte=checkpoint.last_id).count() if checkpoint.last_id else 0
    written = 0
    if progress:
        progress(done, total)
    with translation.override(settings.LANGUAGE_CODE):
        while not checkpoint.done:
            chunk = list(objects.filter(pk__gt=checkpoint.last_id)[:batch_size])
            with transaction.atomic():
                if chunk:
                    written += source.batch(chunk)
                    checkpoint.last_id = chunk[-1].pk
                else:
                    # Finished: entries not rewritten since the start are stale.
                    SearchEntry.objects.filter(
                        source=source.name, indexed_at__lt=checkpoint.started_at
                    ).delete()
                    checkpoint.done = True
                checkpoint.updated_at = timezone.now()
                checkpoint.save()
            done += len(chunk)
            if progress:
                progress(done, total)
    return written


def rebuild_all(*, batch_size: int = 500) -> None:
    """Everything, from the start, without a progress bar (tests, the demo)."""
    for source, checkpoint in plan(restart=True):
        run_source(source, checkpoint, batch_size=batch_size)
