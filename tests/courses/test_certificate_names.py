"""A certificate never shows its holder's e-mail address (issue 11, finding 14).

The public certificate page and its PDF name the holder. A learner who never gave a display
name used to be printed by e-mail address, for anyone with the code to read. Now the course
page asks for the name to print; a certificate without one shows a translated placeholder
until its holder gives the name.
"""

import io

import pytest
from pypdf import PdfReader

from accounts.models import User
from courses.models import Certificate
from tests.accounts.factories import make_user

from .helpers import BASE, complete_everything

EMAIL = "nameless.learner@example.org"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def nameless(db):
    return make_user(email=EMAIL, display_name="")


def test_the_course_page_asks_for_the_name_to_print_and_never_uses_the_email(
    client, course, nameless
):
    complete_everything(client, nameless)
    page = client.get(f"{BASE}/").content.decode()
    assert 'name="holder_name"' in page

    response = client.post(f"{BASE}/", {"action": "certificate"}, follow=True)
    assert Certificate.objects.count() == 0
    assert "name to print on your certificate" in response.content.decode()

    response = client.post(
        f"{BASE}/", {"action": "certificate", "holder_name": " Ana\u202e Nuñez "}
    )
    certificate = Certificate.objects.get(user=nameless)
    assert certificate.holder_name == "Ana Nuñez"
    assert EMAIL not in client.get(response["Location"]).content.decode()
    assert EMAIL not in pdf_text(client.get(f"{response['Location']}pdf/").content)


def test_a_certificate_without_a_name_shows_a_placeholder_until_its_holder_gives_one(
    client, course, nameless
):
    # As certificates issued by e-mail address are left by the migration that blanks them.
    certificate = Certificate.objects.create(
        user=nameless,
        course_key=course.translation_key,
        holder_name="",
        course_title=course.title,
        course_version=course.version,
        issuer="Test issuer",
        language="en",
    )
    url = f"/en/courses/certificates/{certificate.code}/"
    public = client.get(url).content.decode()
    assert "Name not yet given by the holder" in public
    assert EMAIL not in public and 'name="holder_name"' not in public

    client.force_login(nameless)
    assert client.get(f"{url}pdf/")["Location"] == url  # asked for the name first
    assert 'name="holder_name"' in client.get(url).content.decode()
    response = client.post(f"{url}name/", {"holder_name": "Ana Nuñez"})
    assert response["Location"] == url
    certificate.refresh_from_db()
    assert certificate.holder_name == "Ana Nuñez"
    assert "Ana Nuñez" in pdf_text(client.get(f"{url}pdf/").content)

    # A given name is part of the record: it is not changed afterwards, by anyone.
    client.post(f"{url}name/", {"holder_name": "Someone Else"})
    certificate.refresh_from_db()
    assert certificate.holder_name == "Ana Nuñez"


def test_only_the_holder_names_a_certificate(client, course, nameless):
    certificate = Certificate.objects.create(
        user=nameless,
        course_key=course.translation_key,
        holder_name="",
        course_title=course.title,
        course_version=course.version,
        issuer="Test issuer",
        language="en",
    )
    client.force_login(make_user())
    response = client.post(
        f"/en/courses/certificates/{certificate.code}/name/", {"holder_name": "Impostor"}
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.holder_name == ""


def test_users_are_never_named_by_email_in_full_name():
    user = User(email=EMAIL)
    assert EMAIL not in user.get_full_name()
