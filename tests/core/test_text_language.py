"""A person's text is marked with the language of its script, not blindly with the interface
language they used (core.text_language): a screen reader reads it with the right voice."""

import pytest

from core.text_language import text_language


@pytest.mark.parametrize(
    ("text", "interface", "expected"),
    [
        ("The risk assessment ignores gene flow.", "en", "en"),
        ("L'évaluation des risques ignore le flux de gènes.", "fr", "fr"),
        ("风险评估忽略了基因流动。", "zh-hans", "zh-hans"),
        # Chinese typed on the English interface, Arabic on the French one, Russian on the
        # Spanish one: the one language of ours in that script.
        ("风险评估忽略了基因流动。", "en", "zh-hans"),
        ("يتجاهل تقييم المخاطر تدفق الجينات.", "fr", "ar"),
        ("Оценка рисков игнорирует поток генов.", "es", "ru"),
        # Latin text on the Chinese interface: English, French or Spanish? Unknown, not a guess.
        ("The risk assessment ignores gene flow.", "zh-hans", ""),
        # A Chinese comment citing an identifier and a link is still Chinese.
        ("关于 MON-89Ø34-3 的风险评估，见 https://bch.cbd.int/ 第23条。", "en", "zh-hans"),
        # Digits and signs only: nothing says otherwise.
        ("2026-12-01 — 5 + 1 = 6", "ar", "ar"),
        ("", "ru", "ru"),
    ],
)
def test_the_text_decides_its_language(text, interface, expected):
    assert text_language(text, interface) == expected
