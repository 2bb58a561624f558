"""The course outline and each learner's progress come from the cache (courses.learner_cache):
what a person does, and what an editor publishes, shows on their next page at once, and no
one sees another's progress."""

from accounts.roles import Role
from accounts.services import user_set_roles
from courses.models import LessonPage, ModulePage
from tests.accounts.factories import make_user

from .helpers import BASE, enrol, lesson

LMO = f"{BASE}/basics/what-is-an-lmo/"
DONE = '<span class="tag tag--ok">Done</span>'


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_completion_shows_at_once_on_the_course_and_lesson_pages(client, course, learner):
    enrol(client, learner)
    assert DONE not in page(client, f"{BASE}/")  # cached now
    page(client, LMO)
    client.post(LMO, {"action": "complete"})
    assert DONE in page(client, f"{BASE}/")
    assert "outline-lesson is-done" in page(client, LMO)


def test_an_enrolment_shows_at_once(client, course, learner):
    client.force_login(learner)
    before = page(client, f"{BASE}/")
    assert 'value="enrol"' in before and "<progress" not in before
    client.post(f"{BASE}/", {"action": "enrol"})
    after = page(client, f"{BASE}/")
    assert 'value="enrol"' not in after and "<progress" in after


def test_reading_a_lesson_shows_at_once_as_where_to_resume(client, course, learner):
    enrol(client, learner)
    assert "Resume:" not in page(client, f"{BASE}/")
    page(client, LMO)
    assert "Resume: What is an LMO?" in page(client, f"{BASE}/")


def test_a_published_lesson_shows_at_once_and_an_unpublished_one_goes(client, course, learner):
    enrol(client, learner)
    assert "Brand-new lesson" not in page(client, f"{BASE}/")
    module = ModulePage.objects.get(slug="basics", locale__language_code="en")
    new = module.add_child(
        instance=LessonPage(title="Brand-new lesson", slug="brand-new", live=False)
    )
    new.save_revision().publish()
    assert "Brand-new lesson" in page(client, f"{BASE}/")
    assert "Brand-new lesson" in page(client, LMO)  # the outline beside the lesson

    lesson("identifiers").unpublish()
    shown = page(client, f"{BASE}/")
    assert "Unique identifiers" not in shown
    assert "Unique identifiers" not in page(client, LMO)


def test_one_learners_progress_is_never_shown_to_another(client, course, learner):
    enrol(client, learner)
    client.post(LMO, {"action": "complete"})
    assert DONE in page(client, f"{BASE}/")
    other = make_user()
    enrol(client, other)
    assert DONE not in page(client, f"{BASE}/")
    assert "is-done" not in page(client, LMO)


def test_a_new_role_shows_at_once(client, course, learner):
    client.force_login(learner)
    assert "Your cohorts" not in page(client, "/en/courses/")
    user_set_roles(user=learner, roles=[Role.FACILITATORS])
    assert "Your cohorts" in page(client, "/en/courses/")
    user_set_roles(user=learner, roles=[])
    assert "Your cohorts" not in page(client, "/en/courses/")


def test_a_renamed_cohort_shows_at_once_to_its_members(client, course, learner, facilitator):
    from courses.services import cohort_create

    cohort = cohort_create(facilitator=facilitator, name="Morning group", course=course)
    client.force_login(learner)
    client.post("/en/courses/join-cohort/", {"code": cohort.join_code})
    assert "Cohort: Morning group" in page(client, f"{BASE}/")
    cohort.name = "Evening group"
    cohort.save()
    assert "Cohort: Evening group" in page(client, f"{BASE}/")


def test_an_edited_lesson_text_shows_at_once_once_published(client, course, learner):
    client.force_login(learner)
    assert "Documents travel with the shipment." in page(client, LMO)  # rendered, kept
    lmo = lesson("what-is-an-lmo")
    body = lmo.body.raw_data
    for block in body:
        if block["type"] == "callout":
            block["value"]["text"] = "<p>Papers travel with the goods.</p>"
    lmo.body = body
    lmo.save_revision()  # a draft: readers still see the published text
    assert "Documents travel with the shipment." in page(client, LMO)
    lmo.get_latest_revision().publish()
    shown = page(client, LMO)
    assert "Papers travel with the goods." in shown
    assert "Documents travel with the shipment." not in shown


def test_a_stale_guess_of_the_course_key_still_reads_the_learners_own_state(
    client, course, learner
):
    # learner_cache guesses a course's key from its path to read the learner's entry with the
    # outline; a path now holding another course (a guess gone wrong) must not matter.
    import uuid

    from courses import learner_cache

    enrol(client, learner)
    client.post(LMO, {"action": "complete"})
    assert "outline-lesson is-done" in page(client, LMO)
    for path in list(learner_cache._COURSE_KEYS):
        learner_cache._COURSE_KEYS[path] = uuid.uuid4()
    assert "outline-lesson is-done" in page(client, LMO)
    assert DONE in page(client, f"{BASE}/")


def test_a_lesson_reads_its_outline_text_progress_and_their_tags_in_one_read(
    client, course, learner
):
    from unittest import mock

    from django.core.cache import cache

    enrol(client, learner)
    page(client, LMO)
    page(client, LMO)  # everything cached, the course's key learnt
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert "outline-lesson" in page(client, LMO)
    reads = [call.args[0] for call in get_many.call_args_list]
    course_reads = [keys for keys in reads if any("courses:outline" in k for k in keys)]
    assert len(course_reads) == 1
    keys = course_reads[0]
    assert any("courses:lesson-text" in k for k in keys)
    assert any("courses:learner" in k for k in keys)
    assert any("page-cache:tag:course:" in k for k in keys)
    assert any("page-cache:tag:learner:" in k for k in keys)
    # No second read for the tags.
    assert not any(
        "page-cache:tag:learner:" in k for other in reads if other is not keys for k in other
    )
