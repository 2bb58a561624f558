import pytest

from core.moderation import moderation_decide
from tests.accounts.factories import make_user
from tests.moderated.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_note():
    author = make_user()
    moderator = make_user(roles=["Moderators"])
    note = Note.objects.create(author=author, body="x")
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
