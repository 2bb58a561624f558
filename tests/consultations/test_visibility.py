"""One visibility policy for consultation content, asked by every channel at read time
(issue 11, findings 4, 5, 6 and 17; the table is in docs/permissions.md).

A page's content is for a viewer only while the page is live and passes Wagtail's page
privacy (password, groups, login) for that request; officers reach every comment whatever
the page's state. Each channel is fetched as a user would, and checked for a canary."""

import io
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from consultations.models import Comment

from .factories import (
    commenter,
    index_page,
    make_consultation,
    officer,
    pdf_bytes,
    published_comment,
    respond,
    submit,
)

pytestmark = pytest.mark.django_db

CANARY = "CANARY-PRIVATE-PAGE-5521"
RESPONSE_CANARY = "DRAFT-RESPONSE-CANARY-8812"


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxml"):
        # Zipped as it is sent (consultations.xlsx).
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8", "replace")


def _read_channels(page, comment) -> dict:
    """Every GET channel that shows a consultation's comments or something derived from them."""
    return {
        "public csv": reverse("consultations:export", args=[page.pk, "public", "csv"]),
        "public xlsx": reverse("consultations:export", args=[page.pk, "public", "xlsx"]),
        "feed": reverse("consultations:feed", args=[page.pk]),
        "statistics": reverse("consultations:statistics", args=[page.pk]),
        "reference page": reverse("consultations:comment", args=[comment.reference]),
        "attachment": reverse("consultations:attachment", args=[comment.reference]),
    }


def _post_comment(client, page):
    return client.post(
        reverse("consultations:comment_create", args=[page.pk]),
        {"token": str(uuid.uuid4()), "section": "", "body": "<p>Sneaked in.</p>"},
    )


@pytest.fixture
def world(home, officer_user):
    page = make_consultation(home, moderation_mode="post")
    author = commenter(display_name="Pia Public", show_name_publicly=True)
    comment = published_comment(
        page,
        author,
        officer_user,
        body=f"<p>{CANARY}</p>",
        show_name=True,
        attachment=SimpleUploadedFile("a.pdf", pdf_bytes()),
    )
    return {"page": page, "comment": comment, "author": author}


def _assert_unreachable(client, page, comment):
    for name, url in _read_channels(page, comment).items():
        response = client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert CANARY not in _text(response), name
    before = Comment.objects.count()
    response = _post_comment(client, page)
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:  # anonymous: to sign in, never into the page
        assert "/login/" in response["Location"]
    assert Comment.objects.count() == before


def _assert_reachable(client, page, comment):
    for name, url in _read_channels(page, comment).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        if name not in ("statistics", "attachment"):
            assert CANARY in _text(response), name


# --- finding 4: Wagtail page privacy --------------------------------------------------


def _restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="open sesame" if kind == "password" else ""
    )
    if kind == "groups":
        panel = Group.objects.create(name="Expert panel")
        restriction.groups.add(panel)
    return restriction


def _outsider(client, kind):
    if kind != "login":  # signed in, but without the password or the group
        client.force_login(commenter())
    return client


def _insider(client, kind, restriction):
    user = commenter()
    client.force_login(user)
    if kind == "groups":
        user.groups.add(restriction.groups.get())
    if kind == "password":
        session = client.session
        session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
        session.save()
    return client


@pytest.mark.parametrize("kind", ["password", "groups", "login"])
def test_a_private_page_keeps_its_comments_from_those_it_is_closed_to(world, client, kind):
    _restrict(world["page"], kind)
    _assert_unreachable(_outsider(client, kind), world["page"], world["comment"])


@pytest.mark.parametrize("kind", ["password", "groups", "login"])
def test_a_private_page_shows_its_comments_to_those_it_is_open_to(world, client, kind):
    restriction = _restrict(world["page"], kind)
    client = _insider(client, kind, restriction)
    _assert_reachable(client, world["page"], world["comment"])
    before = Comment.objects.count()
    assert _post_comment(client, world["page"]).status_code == 302
    assert Comment.objects.count() == before + 1


def test_privacy_set_on_the_index_covers_every_consultation_below_it(world, home, client):
    _restrict(index_page(home), "login")
    _assert_unreachable(client, world["page"], world["comment"])


def test_the_comment_service_refuses_a_page_the_commenter_cannot_see(world, home):
    from django.core.exceptions import PermissionDenied

    _restrict(world["page"], "groups")
    # Read afresh, as the next request would: a page object keeps its restrictions for the
    # request it was read in (core.page_cache).
    page = type(world["page"]).objects.get(pk=world["page"].pk)
    with pytest.raises(PermissionDenied):
        submit(page, commenter())


def test_private_consultations_are_not_listed_publicly(world, home, client):
    _restrict(world["page"], "login")
    other = make_consultation(home, title="A public consultation")
    html = client.get(index_page(home).url).content.decode()
    assert other.title in html
    assert world["page"].title not in html
    assert world["page"].title not in client.get("/en/").content.decode()


def test_officers_reach_the_comments_of_a_private_page(world, client):
    _restrict(world["page"], "password")
    client.force_login(officer())
    _assert_reachable(client, world["page"], world["comment"])


# --- finding 5: an unpublished page ---------------------------------------------------


def test_an_unpublished_page_keeps_its_comments_from_everyone_but_officers(world, client):
    page = world["page"]
    page.unpublish()
    page.refresh_from_db()
    _assert_unreachable(client, page, world["comment"])  # anonymous
    client.force_login(commenter())
    _assert_unreachable(client, page, world["comment"])  # another participant
    client.force_login(world["author"])
    _assert_unreachable(client, page, world["comment"])  # even its author, like the page
    client.force_login(officer())
    _assert_reachable(client, page, world["comment"])


def test_officers_keep_managing_the_comments_of_a_withdrawn_consultation(world, client):
    page = world["page"]
    page.unpublish()
    client.force_login(officer())
    screen = client.get(reverse("consultations:manage", args=[page.pk]))
    assert screen.status_code == 200
    assert CANARY in screen.content.decode()
    assert client.get(page.url).status_code == 404  # the page itself stays withdrawn


def test_guessing_the_next_reference_of_an_unpublished_page_finds_nothing(world, client):
    page = world["page"]
    page.unpublish()
    for n in range(1, 4):
        reference = f"{page.reference_code}-{n:04d}"
        assert client.get(reverse("consultations:comment", args=[reference])).status_code == 404
        url = reverse("consultations:attachment", args=[reference])
        assert client.get(url).status_code == 404


# --- finding 6: draft responses before the outcome ------------------------------------


def test_public_exports_hold_back_draft_responses_until_the_outcome(home, officer_user, client):
    from consultations.services import consultation_close_now, outcome_publish

    page = make_consultation(home, moderation_mode="post")
    comment = published_comment(page, commenter(), officer_user)
    respond(comment, officer_user, disposition="not_accepted", response=RESPONSE_CANARY)
    urls = [reverse("consultations:export", args=[page.pk, "public", f]) for f in ("csv", "xlsx")]
    urls.append(reverse("consultations:comment", args=[comment.reference]))
    for url in urls:
        text = _text(client.get(url))
        assert RESPONSE_CANARY not in text, url
        assert "Not accepted" not in text, url
    assert RESPONSE_CANARY not in client.get(page.url).content.decode()

    consultation_close_now(consultation=page, actor=officer_user, reason="Done.")
    page = type(page).objects.get(pk=page.pk)
    outcome_publish(
        consultation=page,
        actor=officer_user,
        decision="Approved.",
        decision_date=timezone.localdate(),
        comments_taken_into_account="See the table.",
    )
    for url in urls:
        assert RESPONSE_CANARY in _text(client.get(url)), url


def test_officers_export_shows_draft_responses(home, officer_user, client):
    page = make_consultation(home, moderation_mode="post")
    comment = published_comment(page, commenter(), officer_user)
    respond(comment, officer_user, response=RESPONSE_CANARY)
    client.force_login(officer_user)
    url = reverse("consultations:export", args=[page.pk, "all", "csv"])
    assert RESPONSE_CANARY in _text(client.get(url))


# --- finding 17: the same answer for every comment the public may not see -------------


@pytest.fixture
def states(home, officer_user):
    from consultations.services import comment_moderate

    page = make_consultation(home)
    author = commenter()
    pending = submit(page, author)
    rejected = submit(page, author)
    comment_moderate(comment=rejected, actor=officer_user, to_status="rejected", reason="Spam.")
    hidden = published_comment(page, author, officer_user)
    comment_moderate(comment=hidden, actor=officer_user, to_status="hidden", reason="Phone no.")
    confidential = submit(page, author, confidential=True, confidential_justification="CBI.")
    public = published_comment(page, author, officer_user)
    return {
        "page": page,
        "author": author,
        "non-public": [pending, rejected, hidden, confidential],
        "public": public,
        "missing": f"{page.reference_code}-0999",
    }


def _normalised(html: str) -> str:
    # Each render masks the CSRF token differently (the language switcher's form).
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _ref(client, reference):
    return client.get(reverse("consultations:comment", args=[reference]))


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_a_non_public_comment_answers_exactly_as_a_missing_one(states, client, who):
    if who == "participant":
        client.force_login(commenter())
    missing = _ref(client, states["missing"])
    assert missing.status_code == 404
    for comment in states["non-public"]:
        response = _ref(client, comment.reference)
        assert response.status_code == 404, comment.moderation_status
        body = _normalised(response.content.decode().replace(comment.reference, states["missing"]))
        assert body == _normalised(missing.content.decode()), comment.moderation_status
    assert _ref(client, states["public"].reference).status_code == 200


def test_the_author_and_officers_still_reach_non_public_comments(states, client):
    for user in (states["author"], officer()):
        client.force_login(user)
        for comment in states["non-public"]:
            assert _ref(client, comment.reference).status_code == 200


def test_the_not_found_page_offers_authors_a_way_to_sign_in(states, client):
    html = _ref(client, states["non-public"][0].reference).content.decode()
    assert "/accounts/login/?next=" in html
