"""One quiz block rendered through courses/blocks/quiz.html (and its includes) against
courses/quiz_html.py, in process.

    .venv/bin/python bench/quiz_block.py [--rounds 7] [--loops 200]

No database, no server: a quiz of five questions (one of each kind) as the lesson page gets
it, the blank form and the marked result of a second attempt (the first question wrong, the
matching one with its table). Checks the markup is the same, then prints the best and median
ms per block of each over the rounds, and the ratio. Figures depend on the machine (here:
2 cores shared with other work): compare ratios.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402

from courses import assessments as A  # noqa: E402
from courses import presenters as P  # noqa: E402
from courses.blocks import QuizBlock  # noqa: E402
from courses.quiz_html import quiz_html  # noqa: E402

TEMPLATE = "courses/blocks/quiz.html"


def _q(kind, prompt, **value):
    # Ids given, as saved content has them: questions and options are told apart by id.
    for key in ("choices", "pairs", "items"):
        if key in value:
            value[key] = [
                {"type": "item", "value": v, "id": f"{kind}-{i}"} for i, v in enumerate(value[key])
            ]
    return {
        "type": kind,
        "id": f"q-{kind}",
        "value": {"prompt": prompt, "explanation": "Because.", **value},
    }


def _choices(*texts):
    return [{"text": t, "correct": i == 0} for i, t in enumerate(texts)]


RAW = {
    "title": "Check your understanding",
    "pass_mark": 70,
    "shuffle": False,
    "questions": [
        _q("single", "Which article covers FFP?", choices=_choices("18.2(a)", "18.2(b)", "7")),
        _q("multiple", "Which are LMOs?", choices=_choices("Maize seed", "Flour", "Soy"),
           scoring="all"),
        _q("true_false", "Bulk maize is FFP.", answer=True),
        _q("matching", "Match the documents.", scoring="parts",
           pairs=[{"left": f"Item {i}", "right": f"Match {i}"} for i in range(4)]),
        _q("ordering", "Put the steps in order.", scoring="parts",
           items=[f"Step {i}" for i in range(4)]),
    ],
}  # fmt: skip


def contexts():
    value = QuizBlock().to_python(RAW)
    questions = A.quiz_items(value)
    base = {"value": value, "self": value, "csrf_token": "x" * 64}
    form = P.AssessmentView(
        block_id="b1", kind="quiz", title=value["title"], pass_mark=70, mode="form", number=1,
        items=P.quiz_form_items(questions, {}, set()),
    )  # fmt: skip
    answers = {
        q.id: (
            q.correct_ids[-1:] if q.kind == "multiple" else
            q.correct_ids[-1] if q.kind == "single" else
            False if q.kind == "true_false" else
            {o.id: q.options[0].id for o in q.options} if q.kind == "matching" else
            list(reversed(q.correct_ids))
        )
        for q in questions
    }  # fmt: skip
    marks, score = A.quiz_mark(questions, answers)
    when = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    attempts = [
        SimpleNamespace(number=n, answers=answers, results=marks, score=score, passed=False,
                        submitted_at=when + dt.timedelta(days=n))
        for n in (1, 2)
    ]  # fmt: skip
    result = P.AssessmentView(
        block_id="b1", kind="quiz", title=value["title"], pass_mark=70, mode="result", number=3,
        items=P.quiz_result_items(questions, attempts[-1]), attempts=attempts, last=attempts[-1],
        retry_url="/en/lesson/?retry=b1#block-b1",
    )  # fmt: skip
    return {"form": {**base, "state": form}, "result": {**base, "state": result}}


def timed(fn, context, rounds, loops):
    per_block = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(loops):
            fn(context)
        per_block.append((time.perf_counter() - start) * 1000 / loops)
    return min(per_block), statistics.median(per_block)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--loops", type=int, default=200)
    args = parser.parse_args()
    with translation.override("en"):
        for name, context in contexts().items():
            assert quiz_html(context) == render_to_string(TEMPLATE, context), name
            template = timed(lambda c: render_to_string(TEMPLATE, c), context, args.rounds,
                             args.loops)  # fmt: skip
            python = timed(quiz_html, context, args.rounds, args.loops)
            print(
                f"{name:6}  template best {template[0]:.3f} ms  median {template[1]:.3f} ms  |  "
                f"python best {python[0]:.3f} ms  median {python[1]:.3f} ms  |  "
                f"{template[1] / python[1]:.1f}x"
            )


if __name__ == "__main__":
    main()
