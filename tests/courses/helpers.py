"""Building answers for the test course's assessments, right or wrong, as a browser posts them."""

from courses import assessments as A
from courses.models import LessonPage

BASE = "/en/courses/test-course"


def lesson(slug: str, language: str = "en") -> LessonPage:
    return LessonPage.objects.get(slug=slug, locale__language_code=language)


def block(lesson_page, kind: str):
    return next(c for c in lesson_page.body if c.block_type == kind)


def quiz_post(lesson_page, *, number: int = 1, right: bool = True, skip: int = 0) -> dict:
    """POST data answering the lesson's quiz: all right, or the first question wrong.
    `skip` leaves out that many questions from the end."""
    child = block(lesson_page, "quiz")
    questions = A.quiz_items(child.value)
    data = {"action": "assess", "block": str(child.id), "attempt": str(number)}
    for i, q in enumerate(questions[: len(questions) - skip]):
        wrong = not right and i == 0
        if q.kind == "single":
            ids = q.correct_ids if not wrong else [o.id for o in q.options if not o.correct]
            data[f"q-{q.id}"] = ids[0]
        elif q.kind == "multiple":
            data[f"q-{q.id}"] = q.correct_ids if not wrong else [q.options[-1].id]
        elif q.kind == "true_false":
            data[f"q-{q.id}"] = "true" if q.answer != wrong else "false"
        elif q.kind == "matching":
            rights = [o.id for o in q.options]
            if wrong:
                rights = rights[1:] + rights[:1]
            for o, r in zip(q.options, rights, strict=True):
                data[f"q-{q.id}-{o.id}"] = r
        elif q.kind == "ordering":
            order = list(range(1, len(q.options) + 1))
            if wrong:
                order.reverse()
            for o, pos in zip(q.options, order, strict=True):
                data[f"q-{q.id}-{o.id}"] = str(pos)
    return data


def judgement_post(lesson_page, kind: str, *, number: int = 1, right: bool = True) -> dict:
    child = block(lesson_page, kind)
    data = {"action": "assess", "block": str(child.id), "attempt": str(number)}
    if kind == "identifier_exercise":
        for i, item in enumerate(A.identifier_items(child.value)):
            ok = item.valid if (right or i) else not item.valid
            data[f"i-{item.id}"] = "valid" if ok else "invalid"
    else:
        for i, item in enumerate(A.document_items(child.value)):
            ok = item.present if (right or i) else not item.present
            data[f"e-{item.id}"] = "present" if ok else "missing"
    return data


def enrol(client, user):
    client.force_login(user)
    response = client.post(f"{BASE}/", {"action": "enrol"})
    assert response.status_code == 302
    return response


def complete_everything(client, user):
    """Enrol and pass every required lesson and assessment of the test course."""
    enrol(client, user)
    client.post(f"{BASE}/basics/what-is-an-lmo/", {"action": "complete"})
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))
    client.post(identifiers.url, judgement_post(identifiers, "identifier_exercise"))
    invoice = lesson("ffp-invoice")
    client.post(invoice.url, judgement_post(invoice, "document_check"))
