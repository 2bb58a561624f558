"""Who may download a Wagtail document: a document shown on pages follows those pages.

Wagtail checks only the document's collection privacy, so a document attached to a
consultation that is unpublished or private (password, groups) stayed downloadable by its
guessable /documents/<id>/ address. A document that pages show is served to a reader whom at
least one of those pages lets through: by the page type's own policy where it has one (a
consultation: `rules.can_read`, officers included), else live with its privacy passed for this
request, or editable by the reader. A document no page shows keeps
Wagtail's collection rule (the library in the admin).
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex


def pages_showing(document) -> list[Page]:
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.filter(pk__in=[int(pk) for pk in page_ids]))


def page_visible(page, request) -> bool:
    """Live, and every view restriction on it or an ancestor passed (Wagtail's own test)."""
    return page.live and all(r.accept_request(request) for r in page.get_view_restrictions())


def page_lets_through(page, request) -> bool:
    """A page type with its own visibility policy answers itself (consultations:
    `document_readable_by`); any other page shows its documents to those who may see it or
    edit it."""
    specific = page.specific
    ask = getattr(specific, "document_readable_by", None)
    if ask is not None:
        return ask(request)
    if page_visible(page, request):
        return True
    user = request.user
    return user.is_authenticated and page.permissions_for_user(user).can_edit()


def can_download_document(request, document) -> bool:
    pages = pages_showing(document)
    return not pages or any(page_lets_through(page, request) for page in pages)
