"""Form rendering on the officers' comment screen: Django's template renderer against
core.form_renderer.FastRenderer and {% field_html %}.

    .venv/bin/python bench/form_rendering.py [--rounds 7] [--rows 50]

No database, no server: the forms of consultations/manage.html (one ModerationForm and one
ResponseForm a row, with the view's prefixes and initial values, the first row's forms bound
and refused) rendered through consultations/includes/form_fields.html as it was (the stock
renderer, one include of includes/field.html a field) and as it is (FastRenderer, the tag),
plus the middle step (FastRenderer with the include). Checks the markup is the same, then
prints the best and median ms per page of each over the rounds (rendering alone, and with
building the forms, which the renderer does not change), and the ratios. Figures depend
on the machine (here: 2 cores shared with other work): compare ratios.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.forms.renderers import DjangoTemplates  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.utils import translation  # noqa: E402

from consultations.forms import ModerationForm, ResponseForm  # noqa: E402
from core.form_renderer import FastRenderer  # noqa: E402

# consultations/includes/form_fields.html, before and after, for each row's two forms.
FIELDS_INCLUDE = (
    '{% error_summary form extra=extra %}{% for field in form %}{% include "includes/field.html" %}'
    "{% endfor %}"
)
FIELDS_TAG = (
    "{% error_summary form extra=extra %}{% for field in form %}{% field_html field %}{% endfor %}"
)
PAGE = (
    "{% load site_ui %}{% for row in rows %}<form>{% with form=row.moderation_form %}FIELDS"
    "{% endwith %}</form><form>{% with form=row.response_form %}FIELDS{% endwith %}</form>"
    "{% endfor %}"
)


def rows(count, renderer):
    """The view's forms (consultations/views/officers.py), the first row's refused."""
    out = []
    for pk in range(1, count + 1):
        if pk == 1:
            moderation = ModerationForm({"m1-decision": "nope"}, prefix="m1", renderer=renderer)
            response = ResponseForm({"r1-response": "x" * 20_000}, prefix="r1", renderer=renderer)
            moderation.is_valid(), response.is_valid()
        else:
            moderation = ModerationForm(prefix=f"m{pk}", renderer=renderer)
            response = ResponseForm(
                prefix=f"r{pk}",
                initial={"disposition": "", "response": f"Thank you <{pk}> & noted."},
                renderer=renderer,
            )
        out.append({"moderation_form": moderation, "response_form": response})
    return out


def render(template, count, renderer) -> str:
    return template.render(Context({"rows": rows(count, renderer), "extra": None}))


def timed(template, count, renderer, rounds) -> tuple[list[float], list[float]]:
    """ms per page of each round: (rendering alone, building the forms and rendering)."""
    rendering, whole = [], []
    for _ in range(rounds):
        # New forms each round: a form keeps its bound fields and errors, not its markup.
        start = time.perf_counter()
        context = Context({"rows": rows(count, renderer), "extra": None})
        built = time.perf_counter()
        template.render(context)
        end = time.perf_counter()
        rendering.append((end - built) * 1000)
        whole.append((end - start) * 1000)
    return rendering, whole


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rows", type=int, default=50)
    args = parser.parse_args()
    stock, fast = DjangoTemplates(), FastRenderer()
    before = Template(PAGE.replace("FIELDS", FIELDS_INCLUDE))
    after = Template(PAGE.replace("FIELDS", FIELDS_TAG))
    runs = [
        ("stock renderer, include", before, stock),
        ("fast renderer, include", before, fast),
        ("fast renderer, tag", after, fast),
    ]
    with translation.override("en"):
        pages = {render(template, args.rows, renderer) for _, template, renderer in runs}
        assert len(pages) == 1, "the three ways render different markup"
        for _, template, renderer in runs:  # warm the template caches
            render(template, args.rows, renderer)
        results = [(name, timed(t, args.rows, r, args.rounds)) for name, t, r in runs]
    print(f"{args.rows} rows × 2 forms, {args.rounds} rounds, {len(pages.pop())} bytes a page")
    for part, label in ((0, "rendering"), (1, "building + rendering")):
        print(f"{label}, ms per page:")
        base = min(results[0][1][part])
        for name, times in results:
            best = min(times[part])
            print(
                f"  {name:24} best {best:6.1f}  median {statistics.median(times[part]):6.1f}"
                f"  {base / best:4.1f}× stock"
            )


if __name__ == "__main__":
    main()
