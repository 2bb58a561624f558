"""Learner records in the Wagtail admin: read-only, for editors and superusers."""

import pytest

from accounts.roles import Role
from courses.services import cohort_create
from tests.accounts.factories import make_user


@pytest.fixture
def cohort(course):
    return cohort_create(
        facilitator=make_user(roles=[Role.FACILITATORS]), name="Asia", course=course
    )


@pytest.mark.parametrize("role", [Role.EDITORS, "superuser"])
def test_editors_read_cohorts_and_certificates(client, cohort, role):
    user = make_user(roles=[] if role == "superuser" else [role])
    if role == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    client.force_login(user)
    listing = client.get("/admin/course_cohorts/")
    assert listing.status_code == 200 and cohort.join_code in listing.content.decode()
    assert client.get(f"/admin/course_cohorts/inspect/{cohort.pk}/").status_code == 200
    assert client.get("/admin/course_certificates/").status_code == 200
    # Written only by the site's services: no add, edit or delete.
    for path in ("add/", f"edit/{cohort.pk}/", f"delete/{cohort.pk}/"):
        assert client.get(f"/admin/course_cohorts/{path}").status_code in (302, 403)


def test_facilitators_do_not_read_records_in_the_admin(client, cohort):
    client.force_login(cohort.facilitator)
    assert client.get("/admin/course_cohorts/").status_code in (302, 403)


def test_editors_open_every_course_page_type_in_the_page_editor(client, course):
    from courses.models import CourseIndexPage, LessonPage, ModulePage

    editor = make_user(roles=[Role.EDITORS])
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    for page in (
        CourseIndexPage.objects.first(),
        course,
        ModulePage.objects.first(),
        LessonPage.objects.get(slug="identifiers", locale__language_code="en"),
    ):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    module = ModulePage.objects.first()
    response = client.get(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    assert response.status_code == 200


def test_the_block_picker_previews_render(client, db):
    from courses.blocks import LessonBodyBlock

    for name, block in LessonBodyBlock().child_blocks.items():
        value = block.get_preview_value()
        if value is None or name in ("image", "video", "document"):
            continue
        html = block.render(value)
        assert html.strip(), name
