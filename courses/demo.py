"""Demo content of the courses app, loaded by `manage.py load_demo` (idempotent).

The course text lives in fixtures/courses/lmo-identification.json (format:
COURSE_FORMAT.md, English and Simplified Chinese). Block, question, choice and item ids are
derived from the fixture's slugs and positions, so the English and Chinese pages share them:
a quiz passed in one language is passed in the other, and loading twice changes nothing.
"""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from .models import Cohort, CourseIndexPage, CoursePage, LessonPage, ModulePage

COURSE_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "courses" / "lmo-identification.json"
ID_NAMESPACE = uuid.UUID("6f1d2c1e-5b8a-4c55-9f0e-3c1b8f7a2d40")
DEMO_COHORTS = [
    (
        "Training of trainers — Asia",
        "GREENASA",
        "Green Customs training-of-trainers workshop for Asia (first held in New Delhi, 2011).",
    ),
    (
        "Training of trainers — Central and Eastern Europe",
        "GREENCEE",
        "Green Customs training-of-trainers workshop for Central and Eastern Europe "
        "(first held in Ljubljana, 2011).",
    ),
]


def demo_load(*, home, users) -> dict:
    """Load the course fixture when it exists (nothing otherwise), and two demo cohorts run
    by the demo facilitator."""
    if not COURSE_FIXTURE.exists():
        return {}
    data = json.loads(COURSE_FIXTURE.read_text(encoding="utf-8"))
    course = course_load(data, home=home)
    facilitator = users.get("facilitator@example.org")
    cohorts = []
    if facilitator is not None:
        for name, code, description in DEMO_COHORTS:
            cohort, _created = Cohort.objects.get_or_create(
                join_code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "facilitator": facilitator,
                    "course_key": course.translation_key,
                },
            )
            cohorts.append(cohort)
    return {"course": course, "cohorts": cohorts}


def stable_id(*parts) -> str:
    """A uuid from the fixture path: the same in every language and on every load."""
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def _items(values, path, convert=lambda v: v):
    return [
        {"type": "item", "value": convert(v), "id": stable_id(path, i)}
        for i, v in enumerate(values)
    ]


def _question(q: dict, path: str) -> dict:
    kind = q["kind"]
    value = {"prompt": q["prompt"], "explanation": q.get("explanation", "")}
    if kind in ("single", "multiple"):
        value["choices"] = _items(
            q["choices"], path, lambda c: {"text": c["text"], "correct": bool(c["correct"])}
        )
    elif kind == "true_false":
        value["answer"] = bool(q["answer"])
    elif kind == "matching":
        value["pairs"] = _items(
            q["pairs"], path, lambda p: {"left": p["left"], "right": p["right"]}
        )
    elif kind == "ordering":
        value["items"] = _items(q["items"], path)
    else:
        raise ValueError(f"unknown question kind {kind!r} at {path}")
    if kind in ("multiple", "matching", "ordering"):
        scoring = q.get("scoring", "all")
        if scoring not in ("all", "parts"):
            raise ValueError(f"scoring must be 'all' or 'parts', not {scoring!r} at {path}")
        value["scoring"] = scoring
    return {"type": kind, "value": value, "id": stable_id(path)}


def block_raw(block: dict, path: str) -> dict:
    """One fixture block (COURSE_FORMAT.md) → the StreamField's raw form, with stable ids."""
    kind, v = block["type"], block["value"]
    if kind == "heading":
        v = {"text": v["text"], "level": str(v.get("level", 2))}
    elif kind == "callout":
        v = {"kind": v.get("kind", "note"), "title": v.get("title", ""), "text": v["text"]}
    elif kind == "quiz":
        v = {
            "title": v["title"],
            "pass_mark": int(v.get("pass_mark", 70)),
            "shuffle": bool(v.get("shuffle", False)),
            "questions": [_question(q, f"{path}/{i}") for i, q in enumerate(v["questions"])],
        }
    elif kind == "identifier_exercise":
        v = {
            "title": v["title"],
            "instructions": v.get("instructions", ""),
            "pass_mark": int(v.get("pass_mark", 100)),
            "items": _items(
                v["items"],
                path,
                lambda i: {"identifier": i["identifier"], "valid": bool(i["valid"])},
            ),
        }
    elif kind == "document_check":
        v = {
            "title": v["title"],
            "regime": v["regime"],
            "scenario": v["scenario"],
            "document": v["document"],
            "present": list(v.get("present", [])),
            "pass_mark": int(v.get("pass_mark", 100)),
        }
    elif kind not in ("paragraph", "article_ref", "glossary"):
        raise ValueError(f"unknown block type {kind!r} at {path}")
    return {"type": kind, "value": v, "id": stable_id(path)}


def _publish(page, fields: dict) -> None:
    """Set `fields` and publish, unless the live page already says exactly that."""

    def same(name, wanted):
        current = getattr(page, name)
        if name == "body":
            return json.dumps(list(current.raw_data), sort_keys=True, default=str) == json.dumps(
                wanted, sort_keys=True, default=str
            )
        return current == page._meta.get_field(name).to_python(wanted)

    if (
        page.live
        and page.latest_revision_id
        and not page.has_unpublished_changes
        and all(same(n, w) for n, w in fields.items())
    ):
        return
    for name, wanted in fields.items():
        setattr(page, name, wanted)
    page.save_revision().publish()


def _ensure(model, parent, slug: str, fields: dict, locale, source=None):
    """The page `slug` under `parent` in `locale` (a translation of `source` when given),
    created or brought up to date."""
    if source is not None:
        page = source.get_translation_or_none(locale)
        if page is None:
            page = source.copy_for_translation(locale)
        page = page.specific
    else:
        page = model.objects.child_of(parent).filter(slug=slug, locale=locale).first()
        if page is None:
            page = model(slug=slug, locale=locale, **fields)
            parent.add_child(instance=page)
    _publish(page, fields)
    return page


def _course_fields(c: dict, course: dict) -> dict:
    return {
        "title": c["title"],
        "summary": c["summary"],
        "audience": c.get("audience", ""),
        "learning_outcomes": "\n".join(c.get("learning_outcomes", [])),
        "estimated_hours": course.get("estimated_hours", 1),
        "version": course.get("version", "1"),
        "sequential": bool(course.get("sequential")),
    }


@transaction.atomic
def course_load(data: dict, *, home) -> CoursePage:
    """Load one course fixture under `home` (the default-language home page) and translate
    it into every other language the fixture carries."""
    default = settings.LANGUAGE_CODE
    languages = [
        code
        for code in data["course"]
        if code not in ("slug", "version", "sequential", "estimated_hours")
        and isinstance(data["course"][code], dict)
        and code != default
    ]
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in [default, *languages]
    }
    index_data = data.get("index", {"slug": "courses", default: {"title": "Courses"}})
    course_data = data["course"]

    def index_fields(code):
        d = index_data.get(code) or index_data[default]
        return {"title": d["title"], "intro": d.get("intro", "")}

    index = _ensure(
        CourseIndexPage, home, index_data["slug"], index_fields(default), locales[default]
    )
    course = _ensure(
        CoursePage,
        index,
        course_data["slug"],
        _course_fields(course_data[default], course_data),
        locales[default],
    )
    modules = []
    for m in data["modules"]:
        module = _ensure(
            ModulePage,
            course,
            m["slug"],
            {"title": m[default]["title"], "summary": m[default].get("summary", "")},
            locales[default],
        )
        lessons = []
        for lesson_data in m["lessons"]:
            lessons.append(
                _ensure(
                    LessonPage,
                    module,
                    lesson_data["slug"],
                    _lesson_fields(course_data, m, lesson_data, default),
                    locales[default],
                )
            )
        modules.append((m, module, lessons))

    for code in languages:
        locale = locales[code]
        if code in index_data:
            _ensure(CourseIndexPage, None, "", index_fields(code), locale, source=index)
        _ensure(
            CoursePage,
            None,
            "",
            _course_fields(course_data[code], course_data),
            locale,
            source=course,
        )
        for m, module, lessons in modules:
            if code not in m:
                continue
            _ensure(
                ModulePage,
                None,
                "",
                {"title": m[code]["title"], "summary": m[code].get("summary", "")},
                locale,
                source=module,
            )
            for lesson_data, lesson in zip(m["lessons"], lessons, strict=True):
                if code in lesson_data:
                    _ensure(
                        LessonPage,
                        None,
                        "",
                        _lesson_fields(course_data, m, lesson_data, code),
                        locale,
                        source=lesson,
                    )
    return course


def _lesson_fields(course: dict, module: dict, lesson: dict, code: str) -> dict:
    text = lesson[code]
    base = f"{course['slug']}/{module['slug']}/{lesson['slug']}"
    return {
        "title": text["title"],
        "summary": text.get("summary", ""),
        "minutes": int(lesson.get("minutes", 15)),
        "required": bool(lesson.get("required", True)),
        "body": [block_raw(b, f"{base}/{i}") for i, b in enumerate(text.get("body", []))],
    }
