"""Who may do what with a consultation, in which state. Views and templates ask here.

States: upcoming → open → closed → outcome published. Comments are taken only while the
period is open (Art. 23.2); officers moderate and respond until the outcome is published,
after which the record is fixed, except that an officer may still hide a published
comment (e.g. one that turns out to reveal personal data).
"""

from accounts.rules import can_participate, is_consultation_officer

from .models import ConsultationState

OPEN = ConsultationState.OPEN
CLOSED = ConsultationState.CLOSED
OUTCOME = ConsultationState.OUTCOME
UPCOMING = ConsultationState.UPCOMING


def can_read(user, consultation) -> bool:
    """The page is public once published (Wagtail decides that); every state is readable."""
    return True


def can_comment(user, consultation) -> bool:
    return can_participate(user) and consultation.state == OPEN


def can_manage(user, consultation) -> bool:
    """See every comment (confidential ones too), names, attachments and statistics."""
    return bool(user.is_authenticated and user.is_active and is_consultation_officer(user))


def can_moderate(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state != UPCOMING


def can_respond(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state in (OPEN, CLOSED)


def can_export_all(user, consultation) -> bool:
    """The officers' export, with names and confidential comments."""
    return can_manage(user, consultation)


def can_export_public(user, consultation) -> bool:
    """The public export: published, non-confidential comments, names only with consent."""
    return True


def can_close_early(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state == OPEN


def can_publish_outcome(user, consultation) -> bool:
    return can_manage(user, consultation) and consultation.state == CLOSED


def can_see_comment(user, comment) -> bool:
    """A comment's own page (its receipt): its author and the officers; the public if public."""
    if comment.is_public:
        return True
    if not user.is_authenticated:
        return False
    return comment.author_id == user.pk or is_consultation_officer(user)


def can_download_attachment(user, comment) -> bool:
    return can_see_comment(user, comment)
