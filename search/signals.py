"""Wagtail's page events → the index. Forum and consultation writes call
search.index.refresh() from their services instead (one line each); deletions of what we
index arrive here too.

Publishing, unpublishing, moving, a privacy change and a deletion each re-read the page and
what lies under it (index.refresh never raises: see index._safely).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import index


def _page_changed(sender, instance, **kwargs):
    index.refresh(instance)


def _privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        index.refresh(page)


def _deleted(sender, instance, **kwargs):
    index.forget(instance)


def connect() -> None:
    from consultations.models import Comment
    from forums.models import Post, Thread

    page_published.connect(_page_changed, dispatch_uid="search.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search.page_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="search.page_moved")
    for signal in (post_save, post_delete):
        signal.connect(
            _privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search.privacy.{id(signal)}",
        )
    # Per model, not for every model: a receiver for all senders would cost every other
    # deletion on the site Django's fast path.
    for model in (Page, Post, Thread, Comment):
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search.deleted.{model.__name__}")
