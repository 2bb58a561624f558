"""Each role works in its own area (issue 11, finding 9; accounts/areas.py).

Wagtail's initial data made the "Moderators" group its editorial publishers, so forum
moderators could publish course and consultation pages, change comment periods and were
sent editors' lessons to approve. The matrix: each role × (publish a lesson, publish a
consultation page, change a comment period, review a lesson in the workflow, read the
forums' moderation log, read the consultations' moderation log).
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from wagtail import hooks

from accounts.areas import REVIEW, roles_grant
from accounts.models import User
from core.moderation import ModerationLog, ModerationStatus, moderation_decide
from courses.models import CourseIndexPage, LessonPage
from tests.accounts.factories import make_user
from tests.consultations.factories import commenter, make_consultation, published_comment
from tests.courses.conftest import fixture_data
from tests.forums.factories import make_group, make_post, make_thread

pytestmark = pytest.mark.django_db

ROLES = ("Editors", "Reviewers", "Moderators", "Consultation officers", "Facilitators")


@pytest.fixture
def people(db):
    return {role: make_user(roles=[role]) for role in ROLES}


@pytest.fixture
def areas(site_shell):
    """A course and a consultation as the demo (and the admin) leave them: each area's
    index page exists, and the roles were granted on it."""
    from courses.demo import course_load

    home = site_shell["home"]
    course_load(fixture_data(), home=home)
    consultation = make_consultation(home)
    roles_grant()
    lesson = LessonPage.objects.filter(locale__language_code="en").first()
    return SimpleNamespace(home=home, lesson=lesson, consultation=consultation)


def allowed(people, check) -> set[str]:
    return {role for role, user in people.items() if check(user)}


def test_only_reviewers_publish_lessons_and_editors_write_them(areas, people, client):
    lesson = areas.lesson
    assert allowed(people, lambda u: lesson.permissions_for_user(u).can_publish()) == {"Reviewers"}
    assert allowed(people, lambda u: lesson.permissions_for_user(u).can_edit()) == {
        "Editors",
        "Reviewers",
    }
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    for role, user in people.items():
        client.force_login(user)
        status = client.get(edit).status_code
        assert (status == 200) == (role in {"Editors", "Reviewers"}), (role, status)


def test_only_consultation_officers_publish_consultation_pages(areas, people, client):
    page = areas.consultation
    assert allowed(people, lambda u: page.permissions_for_user(u).can_publish()) == {
        "Consultation officers"
    }
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for role, user in people.items():
        client.force_login(user)
        status = client.get(edit).status_code
        assert (status == 200) == (role == "Consultation officers"), (role, status)


def test_only_consultation_officers_change_a_comment_period(areas, people, client):
    # The period is the page's opens_at/closes_at: whoever may not edit the page may not
    # touch it, not even as a draft; closing early is the officers' own screen.
    page = areas.consultation
    assert allowed(people, lambda u: page.permissions_for_user(u).can_edit()) == {
        "Consultation officers"
    }
    closes_at = page.closes_at
    for role, user in people.items():
        if role == "Consultation officers":
            continue
        client.force_login(user)
        client.post(reverse("consultations:close", args=[page.pk]))
        page.refresh_from_db()
        assert page.closes_at == closes_at, role


def test_editors_lessons_go_to_reviewers_and_to_nobody_else(areas, people):
    lesson = areas.lesson
    workflow = lesson.get_workflow()
    assert workflow is not None and workflow.name == REVIEW
    assert areas.consultation.get_workflow() is None  # officers publish their own
    assert lesson.permissions_for_user(people["Editors"]).can_submit_for_moderation()
    workflow.start(lesson, people["Editors"])
    lesson.refresh_from_db()
    task = lesson.current_workflow_task
    assert allowed(people, lambda u: bool(task.get_actions(lesson, u))) == {"Reviewers"}


@pytest.fixture
def decisions(site_shell, people):
    """One moderation decision in each area."""
    moderator = people["Moderators"]
    group = make_group(moderators=[moderator])
    post = make_post(make_thread(group), status=ModerationStatus.PENDING)
    moderation_decide(item=post, to_status=ModerationStatus.PUBLISHED, actor=moderator)
    comment = published_comment(
        make_consultation(site_shell["home"]), commenter(), people["Consultation officers"]
    )
    return {
        "forums": ModerationLog.for_item(post).get(),
        "consultations": ModerationLog.for_item(comment).get(),
    }


@pytest.mark.parametrize(
    ("area", "readers"),
    [("forums", {"Moderators"}), ("consultations", {"Consultation officers"})],
)
def test_the_moderation_log_shows_each_role_its_own_area(client, people, decisions, area, readers):
    entry = decisions[area]
    inspect = f"/admin/moderation_log/inspect/{entry.pk}/"
    for role, user in people.items():
        client.force_login(user)
        listing = client.get("/admin/moderation_log/")
        listed = listing.status_code == 200 and inspect in listing.content.decode()
        assert listed == (role in readers), (role, area)
        assert (client.get(inspect).status_code == 200) == (role in readers), (role, area)


def test_superusers_read_the_whole_moderation_log(client, decisions):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x" * 12))
    html = client.get("/admin/moderation_log/").content.decode()
    assert all(f"/admin/moderation_log/inspect/{e.pk}/" in html for e in decisions.values())


def test_a_course_index_added_in_the_admin_is_open_to_editors_at_once(areas, people):
    index = CourseIndexPage(title="More courses", slug="more-courses")
    areas.home.add_child(instance=index)
    assert not index.permissions_for_user(people["Editors"]).can_add_subpage()
    for hook in hooks.get_hooks("after_create_page"):
        hook(None, index)
    editor = User.objects.get(pk=people["Editors"].pk)  # Wagtail caches permissions per object
    assert index.permissions_for_user(editor).can_add_subpage()
    assert not index.permissions_for_user(editor).can_publish()
    assert index.get_workflow().name == REVIEW
