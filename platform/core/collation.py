"""Sorting names the way readers of each language expect, without ICU.

Chinese readers look for a country in pinyin order (阿富汗 Āfùhàn before 巴西 Bāxī), which code
point order does not give; pypinyin supplies the readings. Other languages sort by their
letters with accents set aside (Åland with A, Écosse with E), case ignored.
"""

import unicodedata

from django.utils.translation import get_language


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def sort_key(text: str, language: str | None = None):
    """A key for sorting `text` in `language` (default: the active one)."""
    language = (language or get_language() or "en").lower()
    if language.startswith("zh"):
        from pypinyin import Style, lazy_pinyin

        # Syllables with tone numbers (ba1 before ba3), then the characters themselves.
        return (lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True), text)
    return (_letters(text), text)
