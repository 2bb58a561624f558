"""Enrolment, lessons, attempts and their bad cases, through the pages as a learner uses them."""

from courses.models import AssessmentAttempt, Enrolment, LessonCompletion
from tests.accounts.factories import make_user

from .helpers import BASE, block, enrol, judgement_post, lesson, quiz_post


def test_enrolling_twice_keeps_one_enrolment_and_says_so(client, course, learner):
    enrol(client, learner)
    response = client.post(f"{BASE}/", {"action": "enrol"}, follow=True)
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert "already enrolled" in response.content.decode()


def test_anonymous_and_unverified_people_cannot_enrol(client, course):
    client.post(f"{BASE}/", {"action": "enrol"})
    unverified = make_user(verified=False)
    client.force_login(unverified)
    response = client.post(f"{BASE}/", {"action": "enrol"}, follow=True)
    assert Enrolment.objects.count() == 0
    assert "verified e-mail" in response.content.decode()


def test_enrolment_in_chinese_counts_for_the_english_course(client, course, learner):
    client.force_login(learner)
    client.post("/zh-hans/courses/test-course/", {"action": "enrol"})
    assert Enrolment.objects.get(user=learner).course_key == course.translation_key
    assert "<progress" in client.get(f"{BASE}/").content.decode()


def test_mark_complete_records_once_and_moves_on(client, course, learner):
    enrol(client, learner)
    url = f"{BASE}/basics/what-is-an-lmo/"
    response = client.post(url, {"action": "complete"})
    assert response.status_code == 302 and response["Location"].endswith("/identifiers/")
    client.post(url, {"action": "complete"})
    assert LessonCompletion.objects.filter(user=learner).count() == 1


def test_a_lesson_with_exercises_cannot_be_marked_complete(client, course, learner):
    enrol(client, learner)
    response = client.post(lesson("identifiers").url, {"action": "complete"}, follow=True)
    assert LessonCompletion.objects.count() == 0
    assert "Pass this lesson" in response.content.decode()


def test_sequential_course_locks_the_next_module_until_the_first_is_complete(
    client, course, learner
):
    enrol(client, learner)
    invoice = lesson("ffp-invoice")
    page = client.get(invoice.url).content.decode()
    assert "opens when you complete" in page and "COMMERCIAL INVOICE" not in page
    response = client.post(invoice.url, judgement_post(invoice, "document_check"), follow=True)
    assert AssessmentAttempt.objects.count() == 0
    assert "not open to you yet" in response.content.decode()

    client.post(f"{BASE}/basics/what-is-an-lmo/", {"action": "complete"})
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))
    client.post(identifiers.url, judgement_post(identifiers, "identifier_exercise"))
    assert "COMMERCIAL INVOICE" in client.get(invoice.url).content.decode()


def test_failing_then_passing_a_quiz_keeps_both_attempts_and_completes_the_lesson(
    client, course, learner
):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    response = client.post(identifiers.url, quiz_post(identifiers, right=False), follow=True)
    html = response.content.decode()
    assert "80%" in html and "Not passed yet" not in html  # 4 of 5 right passes at 70 %
    AssessmentAttempt.objects.all().delete()

    bad = quiz_post(identifiers, right=False)
    # Two questions wrong: 60 % < 70 %.
    quiz = block(identifiers, "quiz")
    from courses import assessments as A

    questions = A.quiz_items(quiz.value)
    tf = next(q for q in questions if q.kind == "true_false")
    bad[f"q-{tf.id}"] = "false"
    html = client.post(identifiers.url, bad, follow=True).content.decode()
    assert "Not passed yet" in html and "Try again" in html
    assert "51 → 6." in html  # the explanation is shown after answering
    client.post(identifiers.url, quiz_post(identifiers, number=2))
    attempts = list(AssessmentAttempt.objects.filter(user=learner).order_by("number"))
    assert [(a.number, a.score, a.passed) for a in attempts] == [(1, 60, False), (2, 100, True)]
    # The identifier exercise is still open, so the lesson is not complete yet.
    assert not LessonCompletion.objects.filter(user=learner).exists()
    client.post(identifiers.url, judgement_post(identifiers, "identifier_exercise"))
    completion = LessonCompletion.objects.get(user=learner)
    assert completion.how == LessonCompletion.How.ASSESSED


def test_double_submit_records_one_attempt(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    data = quiz_post(identifiers)
    client.post(identifiers.url, data)
    response = client.post(identifiers.url, data, follow=True)
    assert AssessmentAttempt.objects.count() == 1
    assert "already submitted" in response.content.decode()


def test_tampered_quiz_post_records_nothing(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    data = quiz_post(identifiers)
    key = next(k for k in data if k.startswith("q-"))
    data[key] = "forged-choice-id"
    response = client.post(identifiers.url, data, follow=True)
    assert AssessmentAttempt.objects.count() == 0
    assert "do not match this exercise" in response.content.decode()


def test_unknown_block_or_garbage_attempt_number_records_nothing(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    for change in (
        {"block": "no-such-block"},
        {"attempt": "abc"},
        {"attempt": "-3"},
        {"attempt": "7"},
    ):
        data = quiz_post(identifiers)
        data.update(change)
        response = client.post(identifiers.url, data, follow=True)
        assert response.status_code == 200
    assert AssessmentAttempt.objects.count() == 0


def test_missing_answers_come_back_with_the_given_answers_kept(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    data = quiz_post(identifiers, skip=1)
    response = client.post(identifiers.url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Answer every question" in html and "Answer this question." in html
    single_key = next(k for k in data if k.startswith("q-") and len(k) == 38)
    assert f'value="{data[single_key]}" checked' in html
    assert AssessmentAttempt.objects.count() == 0


def test_answers_are_recorded_for_the_person_posting_only(client, course, learner):
    other = make_user()
    enrol(client, other)
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers, right=False))
    enrol(client, learner)
    # The learner posts attempt 1 (their own first), unaffected by the other's attempt.
    client.post(identifiers.url, quiz_post(identifiers))
    assert AssessmentAttempt.objects.get(user=learner).number == 1
    assert AssessmentAttempt.objects.get(user=other).score == 80


def test_not_enrolled_or_anonymous_answers_are_not_recorded(client, course, learner):
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))
    client.force_login(learner)
    html = client.post(identifiers.url, quiz_post(identifiers), follow=True).content.decode()
    assert AssessmentAttempt.objects.count() == 0
    assert "Enrol in the course" in html


def test_identifier_exercise_explains_with_the_rule(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    html = client.post(
        identifiers.url,
        judgement_post(identifiers, "identifier_exercise", right=False),
        follow=True,
    ).content.decode()
    assert "the rule gives 6" in html  # MON-ØØ81Ø-7
    assert "registered" in html  # SYN-ØØØJG-2
    assert AssessmentAttempt.objects.get().passed is False


def test_document_check_feedback_cites_the_article(client, course, learner):
    from courses.models import CoursePage

    CoursePage.objects.update(sequential=False)
    enrol(client, learner)
    invoice = lesson("ffp-invoice")
    html = client.post(
        invoice.url, judgement_post(invoice, "document_check", right=False), follow=True
    ).content.decode()
    assert "Art. 18.2(a)" in html and "Decision BS-III/10" in html
    attempt = AssessmentAttempt.objects.get()
    assert attempt.score == 83 and not attempt.passed


def test_resume_points_to_the_last_lesson_opened(client, course, learner):
    enrol(client, learner)
    client.get(lesson("identifiers").url)
    html = client.get(f"{BASE}/").content.decode()
    assert "Resume: Unique identifiers" in html
    html = client.get("/en/courses/my-learning/").content.decode()
    assert "Resume: Unique identifiers" in html and "Test course on LMOs" in html


def test_progress_made_in_chinese_shows_in_english(client, course, learner):
    enrol(client, learner)
    client.post("/zh-hans/courses/test-course/basics/what-is-an-lmo/", {"action": "complete"})
    html = client.get(f"{BASE}/basics/").content.decode()
    assert "1 of 2 lessons" in html


def test_a_flood_of_submissions_is_cut_off_and_not_recorded(client, course, learner):
    from courses.views.pages import ATTEMPT_RATE

    enrol(client, learner)
    identifiers = lesson("identifiers")
    for number in range(1, ATTEMPT_RATE.count + 3):
        response = client.post(
            identifiers.url, quiz_post(identifiers, number=number, right=False), follow=True
        )
    assert AssessmentAttempt.objects.count() == ATTEMPT_RATE.count
    assert "Too many submissions" in response.content.decode()


def test_a_copied_lesson_keeps_its_block_ids_but_not_the_originals_attempts(
    client, course, learner
):
    """Wagtail's "copy page" keeps StreamField block ids; attempts stay with their lesson."""
    enrol(client, learner)
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))
    copy = identifiers.copy(
        update_attrs={"slug": "identifiers-copy", "title": "Copy"},
        keep_live=True,
        reset_translation_key=True,
    )
    assert copy.assessments == identifiers.assessments
    html = client.get(copy.url).content.decode()
    assert 'name="attempt" value="1"' in html  # the copy starts at attempt 1
    client.post(copy.url, quiz_post(copy))
    assert AssessmentAttempt.objects.filter(user=learner).count() == 2


def test_rereading_a_lesson_writes_nothing_new(client, course, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrol(client, learner)
    url = lesson("identifiers").url
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    client.get(f"{BASE}/basics/what-is-an-lmo/")
    assert (
        Enrolment.objects.get(user=learner).last_lesson_key
        == lesson("what-is-an-lmo").translation_key
    )
