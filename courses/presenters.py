"""What a template needs to show an assessment: the form (in this attempt's order, refilled
after a slip) or the marked result with its explanations. Built here so templates stay dumb."""

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import assessments as A
from .regimes import REGIMES


@dataclass
class Choice:
    value: str
    text: str
    checked: bool = False


@dataclass
class Field:
    name: str
    label: str
    choices: list[Choice]
    multiple: bool = False
    widget: str = "radio"  # radio | checkbox | select


@dataclass
class ItemView:
    id: str
    prompt: str
    kind: str
    fields: list[Field] = field(default_factory=list)
    missing: bool = False
    # result mode
    right: bool | None = None
    given: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    explanation: str = ""
    extra: object = None  # identifier check results, element citation
    rows: list = field(default_factory=list)  # matching: one MatchRow per pair
    parts: tuple | None = None  # per-part scoring: (right parts, parts, share earned in %)


@dataclass(frozen=True)
class MatchRow:
    item: str
    given: str
    expected: str
    right: bool


@dataclass
class AssessmentView:
    block_id: str
    kind: str
    title: str
    pass_mark: int
    mode: str  # form | result | locked | enrol | signin
    number: int  # the attempt number the form submits
    items: list[ItemView]
    attempts: list = field(default_factory=list)  # every earlier attempt, oldest first
    last: object = None
    errors: list[str] = field(default_factory=list)
    retry_url: str = ""
    instructions: str = ""
    scenario: str = ""
    document: str = ""
    regime_label: str = ""
    regime_article: str = ""

    @property
    def passed_ever(self) -> bool:
        return any(a.passed for a in self.attempts)


def _judged(answer, yes: str, no: str) -> str:
    if answer is None:
        return _("No answer")
    return yes if answer else no


def _tf_text(value) -> str:
    if value is None:
        return _("No answer")
    return _("True") if value else _("False")


def quiz_form_items(questions, answers: dict, missing: set) -> list[ItemView]:
    views = []
    for q in questions:
        given = answers.get(q.id)
        item = ItemView(id=q.id, prompt=q.prompt, kind=q.kind, missing=q.id in missing)
        name = f"q-{q.id}"
        if q.kind == "single":
            item.fields = [
                Field(name, q.prompt, [Choice(o.id, o.text, given == o.id) for o in q.options])
            ]
        elif q.kind == "multiple":
            chosen = set(given or [])
            item.fields = [
                Field(
                    name,
                    q.prompt,
                    [Choice(o.id, o.text, o.id in chosen) for o in q.options],
                    multiple=True,
                    widget="checkbox",
                )
            ]
        elif q.kind == "true_false":
            item.fields = [
                Field(
                    name,
                    q.prompt,
                    [
                        Choice("true", _("True"), given is True),
                        Choice("false", _("False"), given is False),
                    ],
                )
            ]
        elif q.kind == "matching":
            chosen = given if isinstance(given, dict) else {}
            for o in q.options:
                item.fields.append(
                    Field(
                        f"{name}-{o.id}",
                        o.text,
                        [Choice(r.id, r.text, chosen.get(o.id) == r.id) for r in q.rights],
                        widget="select",
                    )
                )
        elif q.kind == "ordering":
            if isinstance(given, list):
                positions = {oid: i + 1 for i, oid in enumerate(given)}
            else:
                positions = given if isinstance(given, dict) else {}
            n = len(q.options)
            for o in q.options:
                item.fields.append(
                    Field(
                        f"{name}-{o.id}",
                        o.text,
                        [Choice(str(p), str(p), positions.get(o.id) == p) for p in range(1, n + 1)],
                        widget="select",
                    )
                )
        views.append(item)
    return views


def quiz_result_items(questions, attempt) -> list[ItemView]:
    views = []
    for q in questions:
        answer = attempt.answers.get(q.id)
        item = ItemView(
            id=q.id,
            prompt=q.prompt,
            kind=q.kind,
            right=bool(attempt.results.get(q.id)),
            explanation=q.explanation,
        )
        text = {o.id: o.text for o in q.options}
        if q.kind == "single":
            item.given = [text.get(answer, _("No answer"))]
            item.expected = [text[i] for i in q.correct_ids]
        elif q.kind == "multiple":
            item.given = [text.get(i, "?") for i in (answer or [])] or [_("No answer")]
            item.expected = [text[i] for i in q.correct_ids]
        elif q.kind == "true_false":
            item.given, item.expected = [_tf_text(answer)], [_tf_text(q.answer)]
        elif q.kind == "matching":
            rights = {r.id: r.text for r in q.rights}
            answer = answer if isinstance(answer, dict) else {}
            item.rows = [
                MatchRow(
                    item=o.text,
                    given=rights.get(answer.get(o.id), _("No answer")),
                    expected=rights[o.id],
                    right=answer.get(o.id) == o.id,
                )
                for o in q.options
            ]
        elif q.kind == "ordering":
            item.given = [text.get(i, "?") for i in (answer or [])]
            item.expected = [text[i] for i in q.correct_ids]
        if q.scoring == "parts" and q.kind in A.PARTED and not item.right:
            right, total = A.question_parts(q, answer)
            item.parts = (right, total, round(100 * A.question_credit(q, answer)))
        views.append(item)
    return views


def judgement_form_items(entries, prefix, labels, answers, missing) -> list[ItemView]:
    """entries: (id, prompt) pairs; labels: the two choices' (value, text)."""
    views = []
    for item_id, prompt in entries:
        given = answers.get(item_id)
        choices = [
            Choice(labels[0][0], labels[0][1], given is True),
            Choice(labels[1][0], labels[1][1], given is False),
        ]
        views.append(
            ItemView(
                id=item_id,
                prompt=prompt,
                kind=prefix,
                fields=[Field(f"{prefix}-{item_id}", prompt, choices)],
                missing=item_id in missing,
            )
        )
    return views


def _identifier_labels() -> tuple[str, str]:
    return _("Valid"), _("Not valid")


def _element_labels() -> tuple[str, str]:
    return _("Present"), _("Missing")


def identifier_form_items(items, answers, missing):
    valid, invalid = _identifier_labels()
    return judgement_form_items(
        [(i.id, i.identifier) for i in items],
        "i",
        (("valid", valid), ("invalid", invalid)),
        answers,
        missing,
    )


def judgement_result_items(rows, kind: str, labels: tuple[str, str], attempt) -> list[ItemView]:
    """The marked yes/no judgements. rows: (item id, prompt, the right answer (True = the first
    label), a function giving the explanation from whether it was judged right, extra)."""
    yes, no = labels
    views = []
    for item_id, prompt, truth, explain, extra in rows:
        right = bool(attempt.results.get(item_id))
        views.append(
            ItemView(
                id=item_id,
                prompt=prompt,
                kind=kind,
                right=right,
                given=[_judged(attempt.answers.get(item_id), yes, no)],
                expected=[yes if truth else no],
                explanation=explain(right),
                extra=extra,
            )
        )
    return views


def identifier_result_items(items, attempt) -> list[ItemView]:
    from core.identifiers import check_identifiers

    rows = [
        (i.id, i.identifier, i.valid, lambda right: "", check_identifiers(i.identifier))
        for i in items
    ]
    return judgement_result_items(rows, "i", _identifier_labels(), attempt)


def document_form_items(items, answers, missing):
    present, absent = _element_labels()
    return judgement_form_items(
        [(i.id, i.label) for i in items],
        "e",
        (("present", present), ("missing", absent)),
        answers,
        missing,
    )


def document_result_items(items, attempt) -> list[ItemView]:
    rows = [
        (i.id, i.label, i.present, functools.partial(A.element_feedback, i), i.article)
        for i in items
    ]
    return judgement_result_items(rows, "e", _element_labels(), attempt)


def regime_of(value):
    return REGIMES[value["regime"]]
