"""One set of Chinese terms, following the Protocol's Chinese text (fixtures/glossary_zh.json,
explained in docs/glossary-zh.md): no zh_Hans catalogue, fixture or template may use a variant
the glossary rejects (issue 13, error 8)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = json.loads((ROOT / "fixtures" / "glossary_zh.json").read_text(encoding="utf-8"))
SKIP = {".venv", "node_modules", ".git", ".cluster", "tests"}


def sources() -> list[Path]:
    """zh_Hans catalogues (locale/ and <app>/locale/), fixtures, templates and mail texts."""
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP or not path.is_file():
            continue
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix == ".po" and "/zh_Hans/" in f"/{relative}":
            found.append(path)
        elif relative.startswith("fixtures/") and path.suffix == ".json":
            if path.name != "glossary_zh.json":
                found.append(path)
        elif "templates" in parts and path.suffix in (".html", ".txt"):
            found.append(path)
    return found


def variants():
    for term in GLOSSARY["terms"]:
        for avoided in term.get("avoid", []):
            yield term, re.escape(avoided)
        if "avoid_pattern" in term:
            yield term, term["avoid_pattern"]


def test_the_glossary_is_well_formed_and_its_terms_are_not_avoided_themselves():
    seen = set()
    for term in GLOSSARY["terms"]:
        assert term["en"] and term["zh"] and term["source"]
        assert term.get("avoid") or term.get("avoid_pattern")
        assert term["zh"] not in seen
        seen.add(term["zh"])
        for _term, pattern in variants():
            assert not re.search(pattern, term["zh"]), (term["zh"], pattern)


def test_the_scan_covers_catalogues_fixtures_and_templates():
    names = {p.relative_to(ROOT).as_posix() for p in sources()}
    assert "locale/zh_Hans/LC_MESSAGES/django.po" in names
    for app in ("courses", "forums", "consultations"):
        assert f"{app}/locale/zh_Hans/LC_MESSAGES/django.po" in names
    assert "fixtures/courses/lmo-identification.json" in names
    assert any(n.endswith(".html") for n in names)


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_rejected_variant_is_used(path):
    text = path.read_text(encoding="utf-8")
    problems = []
    for term, pattern in variants():
        checked = text
        for allowed in term.get("allow", []):
            checked = checked.replace(allowed, "")
        for match in re.finditer(pattern, checked):
            line = checked.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {match.group(0)} → {term['zh']} ({term['en']})")
    assert not problems, "\n".join(problems)
