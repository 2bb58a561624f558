"""Marking the three kinds of assessment: quizzes, identifier exercises, document checks.

Pure functions over a block's value and the posted form data, so that every rule here is
tested without a database. Each kind has three steps:

- `*_items(value)`: the questions (or identifiers, or elements) with their stable ids;
- `*_parse(items, data)`: the learner's answers out of the POST data, or an error. A value
  that names an id the assessment does not have is tampering (`Tampered`): nothing is
  recorded. A question left unanswered is the learner's slip (`Incomplete`): the form comes
  back with the answers given so far;
- `*_mark(items, answers)`: per-item results and the score in whole per cent.

By default a question scores only when it is wholly right (every correct choice and no other,
every pair matched, every item in its place): partial answers to a customs check are wrong
answers. An editor may let a question with parts (multiple choice, matching, ordering) score
per correct part instead (`scoring = "parts"`); `results` still records whether each question
was wholly right, and only the score counts the shares.
"""

import random
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .regimes import REGIMES

# --- Shared ------------------------------------------------------------------------------


class Tampered(Exception):
    """The POST names questions, choices or values this assessment does not have."""


@dataclass
class Incomplete(Exception):
    missing: list[str]  # item ids without an answer
    answers: dict  # what was answered, to fill the form again


def percent(right: int, total: int) -> int:
    return round(100 * right / total) if total else 0


def attempt_rng(*, user_id, block_id: str, number: int) -> random.Random:
    """The order of one attempt: the same every time the learner reloads the page, a new one
    for the next attempt. Not security-sensitive: it only varies the presentation."""
    return random.Random(f"{user_id}:{block_id}:{number}")  # noqa: S311


# --- Quizzes -----------------------------------------------------------------------------


@dataclass
class Option:
    id: str
    text: str
    correct: bool = False


PARTED = ("multiple", "matching", "ordering")  # the kinds that may score per part


@dataclass
class Question:
    id: str
    kind: str  # single | multiple | true_false | matching | ordering
    prompt: str
    explanation: str
    options: list[Option] = field(default_factory=list)  # choices, pairs (left) or items
    rights: list[Option] = field(default_factory=list)  # matching: the right-hand side
    answer: bool | None = None  # true_false
    scoring: str = "all"  # all | parts (questions with parts only)

    @property
    def correct_ids(self) -> list[str]:
        if self.kind in ("single", "multiple"):
            return [o.id for o in self.options if o.correct]
        return [o.id for o in self.options]


def quiz_items(value) -> list[Question]:
    questions = []
    for child in value["questions"]:
        v = child.value
        q = Question(
            id=str(child.id),
            kind=child.block_type,
            prompt=v["prompt"],
            explanation=v["explanation"],
        )
        if q.kind in PARTED:
            q.scoring = v.get("scoring") or "all"
        if q.kind in ("single", "multiple"):
            q.options = [
                Option(id=str(c.id), text=c.value["text"], correct=bool(c.value["correct"]))
                for c in v["choices"].bound_blocks
            ]
        elif q.kind == "true_false":
            q.answer = bool(v["answer"])
        elif q.kind == "matching":
            pairs = v["pairs"].bound_blocks
            q.options = [Option(id=str(p.id), text=p.value["left"]) for p in pairs]
            q.rights = [Option(id=str(p.id), text=p.value["right"]) for p in pairs]
        elif q.kind == "ordering":
            q.options = [Option(id=str(i.id), text=i.value) for i in v["items"].bound_blocks]
        questions.append(q)
    return questions


def quiz_presentation(questions: list[Question], *, shuffle: bool, rng) -> list[Question]:
    """The questions as one attempt shows them. Ordering items and matching answers are
    always mixed (in the given order they would give the answer away); the rest only
    when the quiz asks for shuffling."""
    shown = list(questions)
    if shuffle:
        rng.shuffle(shown)
    result = []
    for q in shown:
        options, rights = list(q.options), list(q.rights)
        if q.kind == "ordering" or (shuffle and q.kind in ("single", "multiple")):
            rng.shuffle(options)
        if q.kind == "matching":
            rng.shuffle(rights)
        result.append(
            Question(
                id=q.id,
                kind=q.kind,
                prompt=q.prompt,
                explanation=q.explanation,
                options=options,
                rights=rights,
                answer=q.answer,
                scoring=q.scoring,
            )
        )
    return result


def quiz_parse(questions: list[Question], data) -> dict:
    """Answers keyed by question id. Field names: `q-<qid>` (single, true/false: one value;
    multiple: several), `q-<qid>-<option id>` (matching: the chosen right-hand pair id;
    ordering: the position 1…n)."""
    by_id = {q.id: q for q in questions}
    expected = set()
    for q in questions:
        if q.kind in ("matching", "ordering"):
            expected.update(f"q-{q.id}-{o.id}" for o in q.options)
        else:
            expected.add(f"q-{q.id}")
    unknown = [k for k in data if k.startswith("q-") and k not in expected]
    if unknown:
        raise Tampered(unknown)

    answers, missing = {}, []
    for qid, q in by_id.items():
        option_ids = {o.id for o in q.options}
        if q.kind == "single":
            values = data.getlist(f"q-{qid}")
            if len(values) > 1 or (values and values[0] not in option_ids):
                raise Tampered(qid)
            if values:
                answers[qid] = values[0]
        elif q.kind == "multiple":
            values = data.getlist(f"q-{qid}")
            if any(v not in option_ids for v in values) or len(set(values)) != len(values):
                raise Tampered(qid)
            if values:
                answers[qid] = sorted(values)
        elif q.kind == "true_false":
            values = data.getlist(f"q-{qid}")
            if len(values) > 1 or (values and values[0] not in ("true", "false")):
                raise Tampered(qid)
            if values:
                answers[qid] = values[0] == "true"
        elif q.kind == "matching":
            chosen = {}
            for o in q.options:
                value = data.get(f"q-{qid}-{o.id}", "")
                if value and value not in option_ids:
                    raise Tampered(qid)
                if value:
                    chosen[o.id] = value
            if len(chosen) == len(q.options):
                answers[qid] = chosen
            elif chosen:
                answers[qid] = chosen  # kept to refill the form
                missing.append(qid)
                continue
        elif q.kind == "ordering":
            positions = {}
            allowed = {str(n) for n in range(1, len(q.options) + 1)}
            for o in q.options:
                value = data.get(f"q-{qid}-{o.id}", "")
                if value and value not in allowed:
                    raise Tampered(qid)
                if value:
                    positions[o.id] = int(value)
            if len(positions) == len(q.options) and len(set(positions.values())) == len(q.options):
                answers[qid] = [oid for oid, _pos in sorted(positions.items(), key=lambda p: p[1])]
            else:
                # Not every item placed, or two in the same place: the learner's slip.
                answers[qid] = {oid: pos for oid, pos in positions.items()}
                missing.append(qid)
                continue
        if qid not in answers and qid not in missing:
            missing.append(qid)
    if missing:
        raise Incomplete(missing=missing, answers=answers)
    return answers


def question_is_right(q: Question, answer) -> bool:
    if q.kind == "single":
        return answer in q.correct_ids
    if q.kind == "multiple":
        return sorted(answer) == sorted(q.correct_ids)
    if q.kind == "true_false":
        return answer is q.answer
    if q.kind == "matching":
        return all(answer.get(o.id) == o.id for o in q.options)
    if q.kind == "ordering":
        return list(answer) == q.correct_ids
    return False


def question_parts(q: Question, answer) -> tuple[int, int]:
    """(right parts, parts) of a question with parts. Multiple choice: each correct choice
    ticked is a part, each wrong choice ticked takes one back (ticking everything earns
    nothing); matching: each pair; ordering: each item in its place."""
    if q.kind == "multiple":
        chosen = set(answer or [])
        correct = set(q.correct_ids)
        return max(0, len(chosen & correct) - len(chosen - correct)), len(correct)
    if q.kind == "matching":
        answer = answer if isinstance(answer, dict) else {}
        return sum(1 for o in q.options if answer.get(o.id) == o.id), len(q.options)
    if q.kind == "ordering":
        given = list(answer) if isinstance(answer, list) else []
        return sum(1 for a, b in zip(given, q.correct_ids, strict=False) if a == b), len(
            q.correct_ids
        )
    return int(question_is_right(q, answer)), 1


def question_credit(q: Question, answer) -> float:
    """The share of one question's mark earned (0…1): whole or nothing unless the question
    scores per part."""
    if question_is_right(q, answer):
        return 1.0
    if q.scoring != "parts" or q.kind not in PARTED:
        return 0.0
    right, total = question_parts(q, answer)
    return right / total if total else 0.0


def quiz_mark(questions: list[Question], answers: dict) -> tuple[dict, int]:
    results = {q.id: question_is_right(q, answers.get(q.id)) for q in questions}
    credit = sum(question_credit(q, answers.get(q.id)) for q in questions)
    return results, round(100 * credit / len(questions)) if questions else 0


# --- Unique identifier exercise ---------------------------------------------------------


@dataclass
class IdentifierItem:
    id: str
    identifier: str
    valid: bool


def identifier_items(value) -> list[IdentifierItem]:
    """The exercise's items, keyed by the one rule in `core.identifiers`: a learner is marked
    right when they accept what the public checker accepts (a registered exception included)
    and reject what it rejects. The editor's tick is checked against the same rule on save."""
    from core.identifiers import accepts

    return [
        IdentifierItem(
            id=str(c.id), identifier=c.value["identifier"], valid=accepts(c.value["identifier"])
        )
        for c in value["items"].bound_blocks
    ]


def judgement_parse(ids: list[str], data, prefix: str, choices: tuple[str, str]) -> dict:
    """One of two values per item (`<prefix>-<id>`): valid/invalid or present/missing."""
    expected = {f"{prefix}-{i}" for i in ids}
    if any(k.startswith(f"{prefix}-") and k not in expected for k in data):
        raise Tampered()
    answers, missing = {}, []
    for item_id in ids:
        values = data.getlist(f"{prefix}-{item_id}")
        if len(values) > 1 or (values and values[0] not in choices):
            raise Tampered(item_id)
        if values:
            answers[item_id] = values[0] == choices[0]
        else:
            missing.append(item_id)
    if missing:
        raise Incomplete(missing=missing, answers=answers)
    return answers


def identifier_parse(items: list[IdentifierItem], data) -> dict:
    return judgement_parse([i.id for i in items], data, "i", ("valid", "invalid"))


def identifier_mark(items: list[IdentifierItem], answers: dict) -> tuple[dict, int]:
    results = {i.id: answers.get(i.id) is i.valid for i in items}
    return results, percent(sum(results.values()), len(items))


def identifier_explanation(identifier: str) -> dict:
    """Why an identifier is or is not valid, from the rule in core (shared with consultations)."""
    from core.identifiers import check_identifiers

    results = check_identifiers(identifier)
    return {"results": results}


# --- Document check (Art. 18.2) ---------------------------------------------------------


@dataclass
class ElementItem:
    id: str  # the element code
    label: str
    article: str
    present: bool


def document_items(value) -> list[ElementItem]:
    regime = REGIMES[value["regime"]]
    shown = set(value["present"] or [])
    return [
        ElementItem(id=e.code, label=str(e.label), article=str(e.article), present=e.code in shown)
        for e in regime.elements
    ]


def document_parse(items: list[ElementItem], data) -> dict:
    return judgement_parse([i.id for i in items], data, "e", ("present", "missing"))


def document_mark(items: list[ElementItem], answers: dict) -> tuple[dict, int]:
    results = {i.id: answers.get(i.id) is i.present for i in items}
    return results, percent(sum(results.values()), len(items))


def element_feedback(item: ElementItem, right: bool) -> str:
    """One sentence per element, citing the provision that requires it."""
    if item.present:
        text = _("The document shows this element, as %(article)s requires.")
    else:
        text = _("The document lacks this element, which %(article)s requires.")
    return text % {"article": item.article}
