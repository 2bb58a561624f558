"""What clears which cached pages (core.page_cache): each app names, per model, the tags of
the pages that show an instance; any save or delete of one, and any moderation decision or
moderator action about one (every one writes a ModerationLog entry), invalidates those tags
after commit. Wagtail's publishing, unpublishing, moving, deleting and privacy changes clear
the page, the pages that list it (its ancestors) and, for what every page shows, SITE.

Signals rather than calls in each service: the admin's forms, the services and the demo
loader all write these rows, and a page that outlived one of those writes would show what the
visibility policy now hides.
"""

from collections.abc import Callable, Iterable

from django.db.models.signals import post_delete, post_save

from .page_cache import SITE, invalidate

Tagger = Callable[[object], Iterable[str]]
_TAGGERS: dict[type, Tagger] = {}


def page_tag(page_id) -> str:
    return f"page:{page_id}"


def clears_pages(
    model: type, tagger: Tagger, *, unseen_when_new: Callable[[object], bool] | None = None
) -> None:
    """Saving or deleting an instance of `model` (or deciding on it) clears `tagger(instance)`.
    A new instance for which `unseen_when_new(instance)` is true clears nothing: no cached
    page shows it yet (a comment awaiting moderation); its later saves clear as any do."""
    _TAGGERS[model] = tagger

    def changed(sender, instance, created=False, **kwargs):
        if created and unseen_when_new is not None and unseen_when_new(instance):
            return
        invalidate(*tagger(instance))

    uid = f"page_cache.{model._meta.label}"
    post_save.connect(changed, sender=model, dispatch_uid=uid + ".save", weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid + ".delete", weak=False)


def _moderation_logged(sender, instance, created, **kwargs):
    # The decided item is in the generic foreign key's cache when the log is created with it.
    item = instance.item
    tagger = _TAGGERS.get(type(item))
    if tagger is not None:
        invalidate(*tagger(item))


def _page_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    page = instance if isinstance(instance, Page) else getattr(instance, "page", None)
    if page is None:
        return
    ancestors = Page.objects.ancestor_of(page, inclusive=True).values_list("pk", flat=True)
    tags = [page_tag(pk) for pk in ancestors]
    specific = page.specific_class
    extra = getattr(specific, "page_cache_changed_tags", None)
    if extra is not None:
        tags.extend(extra(page))
    invalidate(*tags)


def _structure_changed(sender, **kwargs):
    invalidate(SITE)


def connect_signals() -> None:
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from .moderation import ModerationLog

    post_save.connect(_moderation_logged, sender=ModerationLog, dispatch_uid="page_cache.log")
    page_published.connect(_page_changed, dispatch_uid="page_cache.published")
    page_unpublished.connect(_page_changed, dispatch_uid="page_cache.unpublished")
    # Moves, renames, deletions and privacy change links or access on many pages at once.
    post_page_move.connect(_structure_changed, dispatch_uid="page_cache.moved")
    page_slug_changed.connect(_structure_changed, dispatch_uid="page_cache.slug")
    # For pages only (a specific page's deletion deletes its Page row too): a receiver for
    # every sender would cost every other deletion on the site Django's fast path.
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page_cache.deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _structure_changed, sender=PageViewRestriction, dispatch_uid=f"page_cache.{signal}"
        )
        # Which home page answers a host and language (core.page_routes keeps the routes).
        for model in (Site, Locale):
            signal.connect(
                _structure_changed,
                sender=model,
                dispatch_uid=f"page_cache.{model.__name__}.{signal}",
            )


def _page_deleted(sender, instance, **kwargs):
    invalidate(SITE)
