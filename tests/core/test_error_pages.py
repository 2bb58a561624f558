"""The page nginx shows while no worker answers (502/503/504), built per language."""

from django.core.management import call_command

from core.management.commands.build_error_pages import error_page_path


def test_one_unavailable_page_per_language(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("build_error_pages")
    for language, _name in settings.LANGUAGES:
        html = error_page_path(language).read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in html
        assert f'href="/{language}/"' in html
    chinese = error_page_path("zh-hans").read_text(encoding="utf-8")
    assert "<h1>网站暂时无法访问</h1>" in chinese
    assert 'dir="rtl"' in error_page_path("ar").read_text(encoding="utf-8")
