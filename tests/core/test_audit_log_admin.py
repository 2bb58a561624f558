import pytest

from core.moderation import ModerationLog, ModerationStatus, moderation_decide
from tests.accounts.factories import make_user
from tests.forums.factories import make_group, make_post, make_thread
from tests.moderated.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_note():
    """A forum moderator's decision (each role reads its own area's: tests/accounts/
    test_roles.py), and one about an item of no area, for superusers only."""
    moderator = make_user(roles=["Moderators"])
    post = make_post(make_thread(make_group(moderators=[moderator])), status="pending")
    moderation_decide(
        item=post, to_status=ModerationStatus.REJECTED, actor=moderator, reason_code="spam"
    )
    note = Note.objects.create(author=make_user(), body="x")
    moderation_decide(item=note, to_status="rejected", actor=moderator, reason_code="spam")
    return note


def test_moderators_read_the_audit_log_in_the_admin(client, decided_note):
    client.force_login(make_user(roles=["Moderators"]))
    response = client.get("/admin/moderation_log/")
    assert response.status_code == 200
    assert "reject" in response.content.decode()


def test_the_audit_log_cannot_be_edited_or_added_to(client, decided_note):
    client.force_login(make_user(roles=["Moderators"]))
    assert client.get("/admin/moderation_log/new/").status_code in (302, 403, 404)
    assert client.post("/admin/moderation_log/edit/1/", {"action": "x"}).status_code in (
        302,
        403,
        404,
    )


@pytest.mark.parametrize("roles", [["Editors"], ["Facilitators"]])
def test_other_roles_cannot_read_the_audit_log(client, decided_note, roles):
    client.force_login(make_user(roles=roles))
    assert client.get("/admin/moderation_log/").status_code in (302, 403)


def test_anonymous_visitors_are_sent_to_sign_in(client, decided_note):
    response = client.get("/admin/moderation_log/")
    assert response.status_code == 302


def test_decisions_outside_every_area_are_for_superusers_only(client, decided_note):
    entry = ModerationLog.for_item(decided_note).get()
    client.force_login(make_user(roles=["Moderators", "Consultation officers"]))
    listing = client.get("/admin/moderation_log/")
    assert listing.status_code == 200
    assert f"/admin/moderation_log/inspect/{entry.pk}/" not in listing.content.decode()
    # Not found (the locale middleware first tries the address under /en/).
    assert client.get(f"/admin/moderation_log/inspect/{entry.pk}/", follow=True).status_code == 404
