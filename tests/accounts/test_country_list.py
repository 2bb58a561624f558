"""The country list reads right in every language: Chinese names fixed where the upstream
translation is wrong, and the list sorted the reader's way (pinyin in Chinese)
(issue 12, item 12)."""

import pytest
from django.utils import translation

from accounts.forms import ProfileForm

pytestmark = pytest.mark.django_db


def _names(language):
    with translation.override(language):
        return [str(name) for code, name in ProfileForm().fields["country"].choices if code]


def test_chinese_names_are_unique_and_spelled_right():
    names = _names("zh-hans")
    assert len(names) == len(set(names))
    assert "塔吉克斯坦" in names and "塔吉克斯斯坦" not in names
    assert "萨摩亚" in names and "美属萨摩亚" in names


def test_chinese_list_is_in_pinyin_order():
    names = _names("zh-hans")
    # ā (阿富汗) < bā (巴西) < dé (德国) < zhōng (中国), whatever the code points say.
    order = [names.index(n) for n in ("阿富汗", "巴西", "德国", "中国")]
    assert order == sorted(order)
    assert names[0].startswith("阿")


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("fr", "Danemark", "Égypte"), ("fr", "Égypte", "Espagne"), ("ru", "Австрия", "Бельгия")],
)
def test_other_languages_sort_by_their_letters_accents_aside(language, before, after):
    names = _names(language)
    assert names.index(before) < names.index(after)
