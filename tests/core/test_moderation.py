import pytest
from django.core.exceptions import ValidationError

from core.moderation import ModerationLog, ModerationStatus, moderation_decide, moderation_record
from tests.accounts.factories import make_user
from tests.moderated.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_user()


@pytest.fixture
def moderator():
    return make_user(roles=["Moderators"])


@pytest.fixture
def note(author):
    return Note.objects.create(author=author, body="<p>Public access matters.</p>")


def test_new_items_wait_for_moderation_and_only_their_author_sees_them(note, author):
    stranger = make_user()
    assert note.moderation_status == ModerationStatus.PENDING
    assert list(Note.objects.published()) == []
    assert list(Note.objects.published_or_by(author)) == [note]
    assert list(Note.objects.published_or_by(stranger)) == []


def test_approving_publishes_and_records_who_when_and_from_what(note, moderator):
    log = moderation_decide(item=note, to_status="published", actor=moderator)
    note.refresh_from_db()
    assert note.is_published
    assert note.moderated_by == moderator and note.moderated_at is not None
    assert (log.action, log.from_status, log.to_status, log.actor) == (
        "publish",
        "pending",
        "published",
        moderator,
    )
    assert log.item == note


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(note, moderator):
    with pytest.raises(ValidationError) as excinfo:
        moderation_decide(item=note, to_status="rejected", actor=moderator)
    assert excinfo.value.code == "reason_required"
    note.refresh_from_db()
    assert note.moderation_status == ModerationStatus.PENDING
    assert not ModerationLog.for_item(note).exists()


def test_reject_with_a_reason_keeps_the_reason_for_the_author(note, moderator):
    moderation_decide(
        item=note,
        to_status="rejected",
        actor=moderator,
        reason_code="off_topic",
        reason=" Not about LMOs. ",
    )
    note.refresh_from_db()
    assert note.moderation_status == "rejected"
    assert note.moderation_reason_code == "off_topic"
    assert note.moderation_reason == "Not about LMOs."


def test_a_second_identical_decision_is_refused_as_already_taken(note, moderator):
    other = make_user(roles=["Moderators"])
    moderation_decide(item=note, to_status="published", actor=moderator)
    stale_copy = Note.objects.get(pk=note.pk)
    stale_copy.moderation_status = (
        ModerationStatus.PENDING
    )  # what the second moderator's page showed
    with pytest.raises(ValidationError) as excinfo:
        moderation_decide(item=stale_copy, to_status="published", actor=other)
    assert excinfo.value.code == "bad_transition"
    assert ModerationLog.for_item(note).count() == 1
    note.refresh_from_db()
    assert note.moderated_by == moderator


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("pending", "published", True),
        ("pending", "rejected", True),
        ("pending", "hidden", False),
        ("published", "hidden", True),
        ("published", "rejected", False),
        ("published", "pending", False),
        ("hidden", "published", True),
        ("rejected", "published", True),
        ("rejected", "hidden", False),
    ],
)
def test_transition_matrix(author, moderator, start, target, allowed):
    note = Note.objects.create(author=author, body="x", moderation_status=start)
    if allowed:
        moderation_decide(item=note, to_status=target, actor=moderator, reason="because")
        note.refresh_from_db()
        assert note.moderation_status == target
    else:
        with pytest.raises(ValidationError):
            moderation_decide(item=note, to_status=target, actor=moderator, reason="because")
        note.refresh_from_db()
        assert note.moderation_status == start


def test_unknown_status_or_reason_code_is_refused(note, moderator):
    with pytest.raises(ValueError):
        moderation_decide(item=note, to_status="deleted", actor=moderator)
    with pytest.raises(ValidationError):
        moderation_decide(item=note, to_status="rejected", actor=moderator, reason_code="boring")


def test_the_audit_log_keeps_every_decision_in_order(note, moderator):
    moderation_decide(item=note, to_status="published", actor=moderator)
    moderation_decide(item=note, to_status="hidden", actor=moderator, reason_code="abusive")
    moderation_decide(item=note, to_status="published", actor=moderator, note="Appeal upheld")
    moderation_record(item=note, action="pin", actor=moderator)
    actions = list(
        ModerationLog.for_item(note).order_by("created_at", "pk").values_list("action", flat=True)
    )
    assert actions == ["publish", "hide", "restore", "pin"]
    restore = ModerationLog.for_item(note).get(action="restore")
    assert restore.note == "Appeal upheld"


def test_a_system_decision_has_no_actor(note):
    log = moderation_decide(item=note, to_status="published")
    assert log.actor is None


def test_the_log_survives_the_moderator_account_being_deleted(note, moderator):
    moderation_decide(item=note, to_status="published", actor=moderator)
    moderator.delete()
    log = ModerationLog.for_item(note).get()
    assert log.actor is None and log.action == "publish"
