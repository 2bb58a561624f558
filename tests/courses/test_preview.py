"""Editors preview drafts and unsaved pages: content shows, learner state does not."""

from courses.models import CoursePage, LessonPage, ModulePage

from .helpers import lesson


def test_preview_of_saved_pages_renders(course, rf):
    for page in (
        CoursePage.objects.get(pk=course.pk),
        ModulePage.objects.first(),
        lesson("identifiers"),
    ):
        response = page.make_preview_request()
        assert response.status_code == 200
        response.render()


def test_preview_of_an_unsaved_lesson_renders_its_blocks(course):
    page = LessonPage(
        title="Draft lesson",
        slug="draft",
        body=[
            ("paragraph", "<p>Draft text</p>"),
            ("callout", {"kind": "warning", "title": "Careful", "text": "<p>Check seals.</p>"}),
        ],
    )
    parent = ModulePage.objects.first()
    page.depth = parent.depth + 1
    response = page.make_preview_request()
    response.render()
    html = response.content.decode()
    assert response.status_code == 200 and "Draft text" in html and "Careful" in html
