"""A marked quiz as the learner reads it: a matching question's result is a table (item, your
answer, the right answer, mark), and a question scored per part says how much it earned."""

import re

from courses import assessments as A
from courses.models import AssessmentAttempt

from .helpers import block, enrol, lesson, quiz_post


def _wrong_matching(page) -> tuple[dict, A.Question]:
    data = quiz_post(page)
    q = next(q for q in A.quiz_items(block(page, "quiz").value) if q.kind == "matching")
    a, b, _c = q.options
    data[f"q-{q.id}-{a.id}"], data[f"q-{q.id}-{b.id}"] = b.id, a.id  # 18.2(a) ↔ 18.2(b)
    return data, q


def _score_per_part(page, kind: str) -> None:
    raw = list(page.body.raw_data)
    for b in raw:
        if b["type"] == "quiz":
            for q in b["value"]["questions"]:
                if q["type"] == kind:
                    q["value"]["scoring"] = "parts"
    page.body = raw
    page.save()


def _matching_table(html: str) -> str:
    match = re.search(r'<table class="data match-result">.*?</table>', html, re.S)
    assert match, "the matching question's result is not a table"
    return match.group(0)


def test_a_matching_result_is_a_table_of_item_answer_right_answer_and_mark(client, course, learner):
    enrol(client, learner)
    page = lesson("identifiers")
    data, _q = _wrong_matching(page)
    client.post(page.url, data)

    table = _matching_table(client.get(page.url).content.decode())
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert headers == ["Item", "Your answer", "Right answer", "Mark"]
    rows = [
        re.sub(r"<[^>]+>", "|", row)
        for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)
    ]
    cells = [[c.strip() for c in row.split("|") if c.strip()] for row in rows]
    assert cells == [
        ["18.2(a)", "Contained use", "Food, feed or processing", "Wrong"],
        ["18.2(b)", "Food, feed or processing", "Contained use", "Wrong"],
        [
            "18.2(c)",
            "Introduction into the environment",
            "Introduction into the environment",
            "Right",
        ],
    ]
    assert "→" not in table


def test_a_question_scored_per_part_earns_its_share_and_says_so(client, course, learner):
    enrol(client, learner)
    page = lesson("identifiers")
    _score_per_part(page, "matching")
    page = lesson("identifiers")
    data, _q = _wrong_matching(page)
    client.post(page.url, data)

    attempt = AssessmentAttempt.objects.get(user=learner, block_id=str(block(page, "quiz").id))
    questions = len(A.quiz_items(block(page, "quiz").value))
    # Every other question right, one of the three pairs: (n - 1 + 1/3) / n.
    assert attempt.score == round(100 * (questions - 1 + 1 / 3) / questions)
    html = client.get(page.url).content.decode()
    assert "Partly right: 1 of 3 parts, 33% of this question" in html


def test_all_or_nothing_stays_the_default_on_the_page(client, course, learner):
    enrol(client, learner)
    page = lesson("identifiers")
    data, _q = _wrong_matching(page)
    client.post(page.url, data)
    attempt = AssessmentAttempt.objects.get(user=learner, block_id=str(block(page, "quiz").id))
    questions = len(A.quiz_items(block(page, "quiz").value))
    assert attempt.score == round(100 * (questions - 1) / questions)
    assert "Partly right" not in client.get(page.url).content.decode()
