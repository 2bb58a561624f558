"""Who may do what with a consultation, in which state, and who may see what of it.
Views, templates, exports, the feed, statistics and services ask here; none decides alone.

States: upcoming → open → closed → outcome published. Comments are taken only while the
period is open (Art. 23.2); officers moderate and respond until the outcome is published,
after which the record is fixed, except that an officer may still hide a published
comment (e.g. one that turns out to reveal personal data).

Visibility (the table is in docs/permissions.md): a consultation's content reaches a viewer
through one of its pages (a language version) only while that page is live and passes
Wagtail's page privacy for the viewer's request (`can_view_page`); within it, the public
reads published, non-confidential comments (`Comment.objects.public()`), authors their
own in any state, officers everything, on any page. Dispositions and responses are the
officers' drafts until the outcome is published (`can_see_responses`).
"""

from types import SimpleNamespace

from accounts.rules import can_participate, is_consultation_officer
from core.moderation import ModerationStatus

from .models import ConsultationState

OPEN = ConsultationState.OPEN
CLOSED = ConsultationState.CLOSED
OUTCOME = ConsultationState.OUTCOME
UPCOMING = ConsultationState.UPCOMING


# --- the page: published, and Wagtail's page privacy --------------------------------


def can_view_page(user, page, *, request=None) -> bool:
    """Whether `page` is shown to this viewer: live, and every view restriction on it or an
    ancestor (password, groups, login) passed — Wagtail's own test, `accept_request`.

    Give the request where there is one: a shared password is passed per session. Without
    one (services, mail) only what the account itself proves counts, so a password-protected
    page is closed. Answers are kept on the request: every channel may ask freely.
    """
    if page is None or page.pk is None or not page.live:
        return False
    cache = getattr(request, "_consultations_page_visible", None) if request else None
    if cache is not None and page.pk in cache:
        return cache[page.pk]
    viewer = request if request is not None else SimpleNamespace(user=user, session={})
    visible = all(r.accept_request(viewer) for r in page.get_view_restrictions())
    if request is not None:
        if cache is None:
            cache = request._consultations_page_visible = {}
        cache[page.pk] = visible
    return visible


def can_read(user, consultation, *, request=None) -> bool:
    """May read the consultation's record through `consultation` (the language version the
    viewer reached): its comments, exports, feed and statistics. Officers always may: they
    keep the record of a consultation whose page was withdrawn or made private."""
    return can_manage(user, consultation) or can_view_page(user, consultation, request=request)


def can_comment(user, consultation, *, request=None) -> bool:
    """While the period is open, on a page the commenter can see (officers included: a
    comment is a member of the public's act, made on the page)."""
    return (
        can_participate(user)
        and consultation.canonical.state == OPEN
        and can_view_page(user, consultation, request=request)
    )


def can_manage(user, consultation) -> bool:
    """See every comment (confidential ones too), names, attachments and statistics."""
    return bool(user.is_authenticated and user.is_active and is_consultation_officer(user))


def can_moderate(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state != UPCOMING


def can_moderate_to(user, consultation, to_status: str) -> bool:
    """Once the outcome is published the record is fixed: the only decision left is hiding a
    published comment (personal data found late); no publishing, restoring or rejecting."""
    if not can_moderate(user, consultation):
        return False
    if consultation.state == OUTCOME:
        return to_status == ModerationStatus.HIDDEN
    return True


def can_respond(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state in (OPEN, CLOSED)


def can_edit_summary(user, consultation) -> bool:
    """The summary of comments received is drafted while the record can still change and
    published, fixed, with the outcome (Art. 23.2)."""
    return can_respond(user, consultation)


def can_export_all(user, consultation) -> bool:
    """The officers' export, with names and confidential comments."""
    return can_manage(user, consultation)


def can_export_public(user, consultation, *, request=None) -> bool:
    """The public export: published, non-confidential comments, names only with consent."""
    return can_read(user, consultation, request=request)


def responses_are_public(consultation) -> bool:
    """Dispositions and responses are published with the outcome (Art. 23.2); until then
    they are the officers' drafts. The public channels (page, public exports) ask this."""
    return consultation.canonical.state == OUTCOME


def can_see_responses(user, consultation) -> bool:
    """A comment's own page shows its response to officers at once, to others once public."""
    return can_manage(user, consultation) or responses_are_public(consultation)


def can_close_early(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state == OPEN


def can_publish_outcome(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state == CLOSED


def comment_page_access(user, consultation, *, request=None) -> tuple[bool, bool]:
    """(manages the consultation, may see its page in the reader's language): what
    can_see_comment asks of the consultation, for callers that check many comments."""
    if can_manage(user, consultation):
        return True, True
    return False, can_view_page(user, consultation.localized, request=request)


def can_see_comment(user, comment, *, request=None) -> bool:
    """A comment's own page (its receipt) and attachment: officers always; everyone else only
    through a page of the consultation they can see (in the reader's language, else the
    default one), and then the public if the comment is public, its author in any state."""
    manages, viewable = comment_page_access(user, comment.consultation, request=request)
    if manages:
        return True
    if not viewable:
        return False
    if comment.is_public:
        return True
    return bool(user.is_authenticated and comment.author_id == user.pk)


def can_download_attachment(user, comment, *, request=None) -> bool:
    return bool(comment.attachment) and can_see_comment(user, comment, request=request)
