"""Keeping the index in step with the content. The only module that writes search entries.

`refresh(obj)` re-reads an object (a post, thread, comment, page or consultation) and its
dependants and rewrites their entries from their current state: one line in each service
that changes what may be seen, inside its transaction, so a moderation decision and its
effect on search commit together. `forget(obj)` drops a deleted object's entries. The
rebuild (`manage.py search_rebuild`) goes through the same builders in batches.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from wagtail.models import Page

from . import policy, sources
from .backends import get_backend
from .models import SearchEntry
from .text import lexemes

logger = logging.getLogger(__name__)


def _lexemes(document: sources.Document) -> tuple[list[str], list[str], list[str]]:
    language = document.language
    title = lexemes(document.title, language) if document.index_title else []
    return title, lexemes(document.headings, language), lexemes(document.body, language)


def store(documents: list[sources.Document], *, replace: dict[str, set[int]]) -> int:
    """Replace the entries of the objects in `replace` ({source: ids}) by `documents`."""
    now = timezone.now()
    # Inside a caller's transaction (index.refresh's savepoint) no savepoint of its own: a
    # failure here rolls back the caller's block, which is what it is for.
    with transaction.atomic(savepoint=False):
        for source, ids in replace.items():
            ids = list(ids)
            for start in range(0, len(ids), 900):
                SearchEntry.objects.filter(
                    source=source, object_id__in=ids[start : start + 900]
                ).delete()
        if not documents:
            return 0
        get_backend(connection).insert(
            [d.entry(now) for d in documents], [_lexemes(d) for d in documents]
        )
    return len(documents)


# --- refreshing one object and what depends on it --------------------------------------


def _safely(action, obj) -> None:
    """Run an index update in a savepoint. A failure is logged and spoils nothing else (the
    moderation decision, the publication): results are checked against the policy when
    read (search.policy.visible), so a stale entry cannot show what the object no longer
    shows. SEARCH_RAISE_ERRORS makes failures raise (the search tests set it)."""
    try:
        with transaction.atomic():
            action(obj)
    except Exception:
        if getattr(settings, "SEARCH_RAISE_ERRORS", False):
            raise
        logger.exception("search index not updated for %r", obj)


# Pages whose re-indexing waits for the end of a bulk load (see `deferred`), or None.
_deferred_pages: ContextVar[set | None] = ContextVar("search_deferred_pages", default=None)


@contextmanager
def deferred():
    """Inside: page events only note which pages changed; on leaving, each changed subtree is
    re-indexed once. For bulk loads (the demo publishes every page several times, and each
    publication would re-read the page's whole subtree)."""
    pages = set()
    token = _deferred_pages.set(pages)
    try:
        yield
    finally:
        _deferred_pages.reset(token)
    if pages:
        _safely(lambda ids: refresh_pages(Page.objects.filter(pk__in=ids)), sorted(pages))


def refresh(obj) -> None:
    """Re-index `obj` from its current state (and drop it if it may no longer be found).
    Call it where a service changes what may be seen of `obj`, inside its transaction."""
    pending = _deferred_pages.get()
    if pending is not None and isinstance(obj, Page):
        pending.add(obj.pk)
        return
    _safely(_refresh, obj)


def forget(obj) -> None:
    """Drop a deleted object's entries (and those of what it contained)."""
    _safely(_forget, obj)


def _refresh(obj) -> None:
    from consultations.models import Comment, ConsultationPage, Outcome
    from forums.models import Post, Thread

    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(obj, Post):
            # The opening post decides whether the whole thread is public; a reply is its
            # own entry alone.
            if obj.is_opening:
                refresh_thread(obj.thread_id)
            else:
                _refresh_reply(obj)
        elif isinstance(obj, Thread):
            refresh_thread(obj.pk)
        elif isinstance(obj, Comment):
            refresh_comments(obj.consultation_id, comment_ids=[obj.pk])
        elif isinstance(obj, Outcome):
            refresh_pages(ConsultationPage.objects.filter(pk=obj.consultation_id))
        elif isinstance(obj, Page):
            refresh_pages(Page.objects.filter(pk=obj.pk))
        else:
            raise TypeError(f"search.index.refresh: nothing indexed for {type(obj).__name__}")


def _forget(obj) -> None:
    from consultations.models import Comment
    from forums.models import Post, Thread

    if isinstance(obj, Post):
        SearchEntry.objects.filter(source="forums.post", object_id=obj.pk).delete()
    elif isinstance(obj, Thread):
        SearchEntry.objects.filter(family=sources.thread_family(obj.pk)).delete()
    elif isinstance(obj, Comment):
        SearchEntry.objects.filter(source="consultations.comment", object_id=obj.pk).delete()
    elif isinstance(obj, Page):
        # A deleted consultation's comments are deleted with it, each forgotten in turn.
        SearchEntry.objects.filter(source__in=policy.PAGE_SOURCES, object_id=obj.pk).delete()


def refresh_thread(thread_id: int) -> None:
    """A thread's entry and all its posts'."""
    from forums.models import Post, Thread

    thread = Thread.objects.select_related("group__forum").filter(pk=thread_id).first()
    if thread is None:
        SearchEntry.objects.filter(family=sources.thread_family(thread_id)).delete()
        return
    posts = list(Post.objects.filter(thread=thread).select_related("group"))
    for post in posts:
        post.thread = thread  # the trail and the policy read the thread we hold
    documents = sources.thread_documents([thread]) + sources.post_documents(posts)
    stored = SearchEntry.objects.filter(
        source="forums.post", family=sources.thread_family(thread.pk)
    )
    replace = {
        "forums.thread": {thread.pk},
        "forums.post": set(stored.values_list("object_id", flat=True)) | {p.pk for p in posts},
    }
    store(documents, replace=replace)


def _refresh_reply(post) -> None:
    """A reply's own entry (the thread's does not depend on replies): from the objects the
    caller holds, else read with its thread, group and forum in one query."""
    from forums.models import Post

    pk = post.pk
    if _in_hand(post):
        posts = [post]
    else:
        posts = list(Post.objects.filter(pk=pk).select_related("thread__group__forum"))
    store(sources.post_documents(posts), replace={"forums.post": {pk}})


def _in_hand(post) -> bool:
    """Whether the caller holds `post` with its thread, the thread's group and the forum
    (a service that just wrote the post, in this transaction). Then the entry is written from
    them without reading them again; a stale thread could only hide the entry, as results
    are checked against the policy when read."""
    from forums.models import DiscussionGroup, Post, Thread

    if not Post._meta.get_field("thread").is_cached(post):
        return False
    thread = post.thread
    if not Thread._meta.get_field("group").is_cached(thread):
        if Post._meta.get_field("group").is_cached(post) and post.group_id == thread.group_id:
            thread.group = post.group  # the moderation screens read the post's group
        else:
            return False
    return DiscussionGroup._meta.get_field("forum").is_cached(thread.group)


def refresh_comments(canonical_id: int, *, comment_ids=None, batch: int = 1000) -> None:
    """Comments of one consultation (all, or `comment_ids`), if its page may be seen."""
    from consultations.models import Comment, ConsultationPage

    canonical = (
        policy.public_pages(ConsultationPage.objects.filter(pk=canonical_id))
        .select_related("locale")
        .first()
    )
    comments = Comment.objects.filter(consultation_id=canonical_id)
    if comment_ids is not None:
        comments = comments.filter(pk__in=comment_ids)
    if canonical is None:
        stale = SearchEntry.objects.filter(source="consultations.comment")
        if comment_ids is None:
            stale.filter(
                object_id__in=Comment.objects.filter(consultation_id=canonical_id).values("pk")
            ).delete()
        else:
            stale.filter(object_id__in=comment_ids).delete()
        return
    places = sources.comment_places(canonical)
    last = 0
    while True:
        chunk = list(comments.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        store(
            sources.comment_documents(canonical, chunk, places),
            replace={"consultations.comment": {c.pk for c in chunk}},
        )
        if comment_ids is not None:
            break
    if comment_ids is not None:
        # asked for ids that no longer exist
        missing = set(comment_ids) - {c.pk for c in comments}
        if missing:
            SearchEntry.objects.filter(
                source="consultations.comment", object_id__in=missing
            ).delete()


def refresh_pages(pages) -> None:
    """Pages and everything under them: course pages, consultations in every language with
    their sections and comments. A page that may not be seen (unpublished, private, moved
    under a private page) loses its entries and its descendants'."""
    from consultations.models import ConsultationPage
    from courses.models import CoursePage, LessonPage, ModulePage

    pages = list(pages)
    if not pages:
        return
    subtree = Page.objects.none()
    for page in pages:
        subtree |= Page.objects.filter(path__startswith=page.path)
    ids = set(subtree.values_list("pk", flat=True))
    visible = set(policy.public_pages(Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))

    course_types = (CoursePage, ModulePage, LessonPage)
    course_pages = [
        p
        for p in policy.public_pages(Page.objects.filter(pk__in=visible).type(*course_types))
        .select_related("locale")
        .specific()
    ]
    store(
        sources.course_documents(course_pages),
        replace={"courses.page": ids},
    )
    keys = set(
        ConsultationPage.objects.filter(pk__in=ids).values_list("translation_key", flat=True)
    )
    for key in keys:
        refresh_consultation(key)


def refresh_consultation(translation_key) -> None:
    """A consultation in every language: its pages, sections and comments."""
    from consultations.models import ConsultationPage

    all_pages = list(
        ConsultationPage.objects.filter(translation_key=translation_key).select_related("locale")
    )
    visible = policy.public_pages(
        ConsultationPage.objects.filter(pk__in=[p.pk for p in all_pages])
    ).values_list("pk", flat=True)
    visible = set(visible)
    documents = []
    for page in all_pages:
        if page.pk in visible:
            documents += sources.consultation_documents(page)
    store(documents, replace={"consultations.page": {p.pk for p in all_pages}})
    canonical = next(
        (p for p in all_pages if p.locale.language_code == settings.LANGUAGE_CODE), None
    )
    if canonical is not None:
        refresh_comments(canonical.pk)
