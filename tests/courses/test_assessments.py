"""Marking every question type, and refusing tampered or incomplete answers (no database)."""

import pytest
from django.http import QueryDict

from courses import assessments as A
from courses.blocks import DocumentCheckBlock, IdentifierExerciseBlock, QuizBlock
from courses.demo import block_raw

QUIZ = {
    "type": "quiz",
    "value": {
        "title": "Quiz",
        "pass_mark": 60,
        "shuffle": True,
        "questions": [
            {
                "kind": "single",
                "prompt": "S?",
                "explanation": "e",
                "choices": [{"text": "a", "correct": False}, {"text": "b", "correct": True}],
            },
            {
                "kind": "multiple",
                "prompt": "M?",
                "explanation": "e",
                "choices": [
                    {"text": "a", "correct": True},
                    {"text": "b", "correct": True},
                    {"text": "c", "correct": False},
                ],
            },
            {"kind": "true_false", "prompt": "T?", "explanation": "e", "answer": False},
            {
                "kind": "matching",
                "prompt": "Match",
                "explanation": "e",
                "pairs": [{"left": "1", "right": "one"}, {"left": "2", "right": "two"}],
            },
            {
                "kind": "ordering",
                "prompt": "Order",
                "explanation": "e",
                "items": ["first", "second", "third"],
            },
        ],
    },
}


def quiz_value():
    return QuizBlock().to_python(block_raw(QUIZ, "t")["value"])


def post(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


def right_answers(questions) -> dict:
    data = {}
    for q in questions:
        if q.kind == "single":
            data[f"q-{q.id}"] = q.correct_ids[0]
        elif q.kind == "multiple":
            data[f"q-{q.id}"] = q.correct_ids
        elif q.kind == "true_false":
            data[f"q-{q.id}"] = "true" if q.answer else "false"
        elif q.kind == "matching":
            for o in q.options:
                data[f"q-{q.id}-{o.id}"] = o.id
        else:
            for pos, o in enumerate(q.options, 1):
                data[f"q-{q.id}-{o.id}"] = str(pos)
    return data


def test_all_right_scores_100():
    questions = A.quiz_items(quiz_value())
    answers = A.quiz_parse(questions, post(right_answers(questions)))
    results, score = A.quiz_mark(questions, answers)
    assert score == 100 and all(results.values())


@pytest.mark.parametrize("kind", ["single", "multiple", "true_false", "matching", "ordering"])
def test_one_wrong_question_of_each_kind_costs_its_share(kind):
    questions = A.quiz_items(quiz_value())
    data = right_answers(questions)
    q = next(q for q in questions if q.kind == kind)
    if kind == "single":
        data[f"q-{q.id}"] = next(o.id for o in q.options if not o.correct)
    elif kind == "multiple":
        data[f"q-{q.id}"] = q.correct_ids[:1]  # partly right is wrong
    elif kind == "true_false":
        data[f"q-{q.id}"] = "true"
    elif kind == "matching":
        a, b = q.options
        data[f"q-{q.id}-{a.id}"], data[f"q-{q.id}-{b.id}"] = b.id, a.id
    else:
        first, second, third = q.options
        data[f"q-{q.id}-{first.id}"], data[f"q-{q.id}-{second.id}"] = "2", "1"
    results, score = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
    assert results[q.id] is False
    assert score == 80
    assert sum(results.values()) == 4


def test_multiple_choice_with_an_extra_wrong_choice_is_wrong():
    questions = A.quiz_items(quiz_value())
    q = next(q for q in questions if q.kind == "multiple")
    data = right_answers(questions)
    data[f"q-{q.id}"] = [o.id for o in q.options]
    results, _ = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
    assert results[q.id] is False


@pytest.mark.parametrize(
    "tamper",
    [
        "unknown_question",
        "unknown_choice",
        "choice_of_other_question",
        "two_single_answers",
        "bad_boolean",
        "position_out_of_range",
        "duplicate_multiple",
    ],
)
def test_tampered_answers_are_refused(tamper):
    questions = A.quiz_items(quiz_value())
    data = right_answers(questions)
    single = next(q for q in questions if q.kind == "single")
    multiple = next(q for q in questions if q.kind == "multiple")
    if tamper == "unknown_question":
        data["q-00000000-0000-0000-0000-000000000000"] = "x"
    elif tamper == "unknown_choice":
        data[f"q-{single.id}"] = "not-a-choice"
    elif tamper == "choice_of_other_question":
        data[f"q-{single.id}"] = multiple.options[0].id
    elif tamper == "two_single_answers":
        data[f"q-{single.id}"] = [o.id for o in single.options]
    elif tamper == "bad_boolean":
        tf = next(q for q in questions if q.kind == "true_false")
        data[f"q-{tf.id}"] = "maybe"
    elif tamper == "position_out_of_range":
        ordering = next(q for q in questions if q.kind == "ordering")
        data[f"q-{ordering.id}-{ordering.options[0].id}"] = "99"
    else:
        data[f"q-{multiple.id}"] = [multiple.options[0].id, multiple.options[0].id]
    with pytest.raises(A.Tampered):
        A.quiz_parse(questions, post(data))


def test_unanswered_questions_are_named_and_given_answers_kept():
    questions = A.quiz_items(quiz_value())
    data = right_answers(questions)
    single = next(q for q in questions if q.kind == "single")
    ordering = next(q for q in questions if q.kind == "ordering")
    del data[f"q-{single.id}"]
    data[f"q-{ordering.id}-{ordering.options[1].id}"] = "1"  # two items in place 1
    with pytest.raises(A.Incomplete) as caught:
        A.quiz_parse(questions, post(data))
    assert set(caught.value.missing) == {single.id, ordering.id}
    assert caught.value.answers[next(q.id for q in questions if q.kind == "multiple")]


def test_shuffle_is_stable_within_an_attempt_and_changes_between_attempts():
    questions = A.quiz_items(quiz_value())

    def order(number):
        shown = A.quiz_presentation(
            questions, shuffle=True, rng=A.attempt_rng(user_id=7, block_id="b", number=number)
        )
        return [q.id for q in shown], [[o.id for o in q.options] for q in shown]

    assert order(1) == order(1)
    assert any(order(1) != order(n) for n in range(2, 8))


def test_ordering_items_are_never_shown_in_the_answer_order_for_every_attempt():
    questions = A.quiz_items(quiz_value())
    ordering = next(q for q in questions if q.kind == "ordering")
    shown_orders = set()
    for n in range(1, 10):
        shown = A.quiz_presentation(
            questions, shuffle=False, rng=A.attempt_rng(user_id=1, block_id="b", number=n)
        )
        q = next(q for q in shown if q.kind == "ordering")
        shown_orders.add(tuple(o.id for o in q.options))
    assert len(shown_orders) > 1 and ordering.correct_ids


def identifier_value(items):
    return IdentifierExerciseBlock().to_python(
        block_raw({"type": "identifier_exercise", "value": {"title": "t", "items": items}}, "i")[
            "value"
        ]
    )


def test_identifier_exercise_marks_each_judgement():
    value = identifier_value(
        [
            {"identifier": "MON-ØØ81Ø-6", "valid": True},
            {"identifier": "MON-ØØ81Ø-7", "valid": False},
        ]
    )
    items = A.identifier_items(value)
    answers = A.identifier_parse(
        items, post({f"i-{items[0].id}": "valid", f"i-{items[1].id}": "valid"})
    )
    results, score = A.identifier_mark(items, answers)
    assert results == {items[0].id: True, items[1].id: False} and score == 50


def test_identifier_exercise_agrees_with_the_public_checker_on_registered_exceptions():
    """Issue 12.5: accepting SYN-ØØØJG-2 (registered as written, BCH record 110613) is right,
    as the checker says, even on a page saved when the key said otherwise."""
    from core.identifiers import check_identifier

    items = A.identifier_items(
        identifier_value(
            [
                {"identifier": "SYN-ØØØJG-2", "valid": False},
                {"identifier": "ACS-OSØØ1-4", "valid": True},
                {"identifier": "MON-ØØ6O3-6", "valid": False},
            ]
        )
    )
    assert (
        [i.valid for i in items]
        == [check_identifier(i.identifier).is_acceptable for i in items]
        == [True, True, False]
    )
    answers = A.identifier_parse(
        items, post({f"i-{i.id}": "valid" for i in items[:2]} | {f"i-{items[2].id}": "invalid"})
    )
    results, score = A.identifier_mark(items, answers)
    assert score == 100


def test_identifier_block_accepts_a_stacked_event_marked_valid():
    IdentifierExerciseBlock().clean(
        identifier_value([{"identifier": "MON-ØØ81Ø-6 × BCS-OSØØ3-7", "valid": True}])
    )


def test_identifier_exercise_refuses_unknown_items_and_values():
    items = A.identifier_items(identifier_value([{"identifier": "MON-ØØ81Ø-6", "valid": True}]))
    with pytest.raises(A.Tampered):
        A.identifier_parse(items, post({f"i-{items[0].id}": "perhaps"}))
    with pytest.raises(A.Tampered):
        A.identifier_parse(items, post({f"i-{items[0].id}": "valid", "i-other": "valid"}))
    with pytest.raises(A.Incomplete):
        A.identifier_parse(items, post({}))


def test_identifier_block_refuses_an_answer_key_that_contradicts_the_rule():
    from django.core.exceptions import ValidationError

    block = IdentifierExerciseBlock()
    value = identifier_value([{"identifier": "MON-ØØ81Ø-7", "valid": True}])
    with pytest.raises(ValidationError):
        block.clean(value)
    block.clean(
        identifier_value(
            [
                {"identifier": "SYN-ØØØJG-2", "valid": True},
                {"identifier": "MON-ØØ6Ø3-6", "valid": True},
            ]
        )
    )


def document_value(regime="ffp", present=("may_contain", "names")):
    return DocumentCheckBlock().to_python(
        block_raw(
            {
                "type": "document_check",
                "value": {
                    "title": "t",
                    "regime": regime,
                    "scenario": "s",
                    "document": "d",
                    "present": list(present),
                },
            },
            "d",
        )["value"]
    )


def test_document_check_lists_the_regimes_elements_and_marks_each():
    items = A.document_items(document_value())
    assert [i.id for i in items] == [
        "may_contain",
        "not_for_introduction",
        "contact_point",
        "names",
        "event_or_identifier",
        "bch_address",
    ]
    data = {f"e-{i.id}": "present" for i in items}  # says everything is there
    results, score = A.document_mark(items, A.document_parse(items, post(data)))
    assert score == 33  # 2 of 6 right
    assert results["may_contain"] and not results["bch_address"]


@pytest.mark.parametrize(
    ("regime", "article", "count"),
    [("ffp", "18.2(a)", 6), ("contained_use", "18.2(b)", 5), ("introduction", "18.2(c)", 8)],
)
def test_each_regime_cites_its_paragraph(regime, article, count):
    items = A.document_items(document_value(regime, present=()))
    assert len(items) == count
    feedback = A.element_feedback(items[0], right=True)
    assert "18.2" in feedback or "BS-III/10" in feedback


def test_document_block_refuses_elements_of_another_regime():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DocumentCheckBlock().clean(document_value("contained_use", present=("bch_address",)))


# --- Partial credit, per question ----------------------------------------------------------


def parted_quiz(scoring: str):
    import copy

    raw = copy.deepcopy(QUIZ)
    for q in raw["value"]["questions"]:
        if q["kind"] in ("multiple", "matching", "ordering"):
            q["scoring"] = scoring
    return QuizBlock().to_python(block_raw(raw, "t")["value"])


def _one_wrong_part(questions, kind):
    data = right_answers(questions)
    q = next(q for q in questions if q.kind == kind)
    if kind == "multiple":
        data[f"q-{q.id}"] = q.correct_ids[:1]  # one of two right choices
    elif kind == "matching":
        a, b = q.options
        data[f"q-{q.id}-{a.id}"] = b.id  # 2 → two kept right, 1 → two wrong: 1 of 2
        data[f"q-{q.id}-{b.id}"] = b.id
    else:
        first, second, third = q.options
        data[f"q-{q.id}-{first.id}"], data[f"q-{q.id}-{second.id}"] = "2", "1"  # 1 of 3
    return q, data


@pytest.mark.parametrize(
    ("kind", "score"),
    # Five questions, four wholly right: 80 + the share of the fifth.
    [("multiple", 90), ("matching", 90), ("ordering", 87)],
)
def test_per_part_scoring_gives_the_share_of_the_right_parts(kind, score):
    questions = A.quiz_items(parted_quiz("parts"))
    q, data = _one_wrong_part(questions, kind)
    results, got = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
    assert results[q.id] is False  # "wholly right" stays what results record
    assert got == score


@pytest.mark.parametrize("kind", ["multiple", "matching", "ordering"])
def test_all_or_nothing_is_the_default_and_gives_nothing_for_a_part(kind):
    for value in (quiz_value(), parted_quiz("all")):
        questions = A.quiz_items(value)
        _q, data = _one_wrong_part(questions, kind)
        _results, got = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
        assert got == 80


def test_ticking_every_choice_earns_nothing_even_per_part():
    questions = A.quiz_items(parted_quiz("parts"))
    q = next(q for q in questions if q.kind == "multiple")
    data = right_answers(questions)
    data[f"q-{q.id}"] = [o.id for o in q.options]  # 2 right, 1 wrong: 1 of 2 parts
    _results, got = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
    assert got == 90
    data[f"q-{q.id}"] = [next(o.id for o in q.options if not o.correct)]
    _results, got = A.quiz_mark(questions, A.quiz_parse(questions, post(data)))
    assert got == 80


def test_a_fixture_with_an_unknown_scoring_is_refused():
    import copy

    raw = copy.deepcopy(QUIZ)
    raw["value"]["questions"][1]["scoring"] = "some"
    with pytest.raises(ValueError, match="scoring"):
        block_raw(raw, "t")
