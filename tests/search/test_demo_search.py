"""The issue's "done when": on the demo that `make run` loads, a search in English and in
Chinese puts the right lesson, post and consultation section first."""

from .conftest import index_all, search


def first(client, q, language="en"):
    _response, results = search(client, q, language=language)
    assert results, f"nothing found for {q!r} in {language}"
    return results[0]


def test_the_demo_answers_english_and_chinese_searches_with_the_right_place_first(client, demo):
    index_all()  # as `manage.py load_demo` does after loading
    lesson = first(client, "unique identifier")
    assert lesson.entry.area == "courses"
    assert "nique identifier" in lesson.entry.title

    consultation = first(client, "MON 89034-3")
    assert consultation.entry.kind == "consultation"
    assert "MON-89Ø34-3" in consultation.entry.title

    section = first(client, "spilled grain")
    assert section.entry.kind == "section" and section.url.startswith("/en/consultations/")
    assert "#section-" in section.url

    post = first(client, "public access")
    assert post.entry.area == "forums"

    chinese_lesson = first(client, "独特标识符", "zh-hans")
    assert chinese_lesson.entry.language == "zh-hans" and "独特标识符" in chinese_lesson.entry.title
    # The public writes 唯一标识符; the course follows the Protocol's 独特标识符.
    assert first(client, "唯一标识符", "zh-hans").entry.pk == chinese_lesson.entry.pk

    chinese_section = first(client, "散落 谷物", "zh-hans")
    assert chinese_section.entry.kind == "section" and "#section-4" in chinese_section.url

    chinese_post = first(client, "记者", "zh-hans")
    assert chinese_post.entry.kind == "post" and chinese_post.url.startswith("/zh-hans/forums/")
