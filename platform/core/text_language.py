"""The language to mark a person's text with (`lang`), from its script.

A comment or a post is stored with the interface language its author used, which is not
always the language they wrote in: English typed on the Chinese interface, Chinese on the
English one. Marked with the interface language, a screen reader reads it with the wrong voice
and the browser picks the wrong fonts and line breaking. So the text's own letters decide:
the author's interface language when the text is in that language's script, else the one of
the platform's six languages written in the text's script (Arabic, Russian, Chinese), else
"" — unknown, as `lang=""` says: Latin text typed on the Chinese interface could be English,
French or Spanish, and a wrong guess is worse than none.
"""

import unicodedata

_SCRIPT_OF_LANGUAGE = {"en": "latin", "fr": "latin", "es": "latin", "ru": "cyrillic",
                       "ar": "arabic", "zh": "han"}  # fmt: skip
_ONLY_LANGUAGE_OF_SCRIPT = {"cyrillic": "ru", "arabic": "ar", "han": "zh-hans"}
# Enough letters to decide; a long comment is not read to its end.
_SAMPLE = 2_000


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if not char.isalpha():
        return None
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    name = unicodedata.name(char, "")
    return "han" if name.startswith("CJK") else None


def dominant_script(text: str) -> str | None:
    counts: dict[str, int] = {}
    for char in text[:_SAMPLE]:
        script = _script(char)
        if script:
            # A Chinese character carries about what a Latin word of five letters does.
            counts[script] = counts.get(script, 0) + (3 if script == "han" else 1)
    return max(counts, key=counts.get) if counts else None


def text_language(text: str, written_in: str) -> str:
    """The `lang` for `text`, whose author used the interface in `written_in` (see above)."""
    written_in = (written_in or "").lower()
    script = dominant_script(text or "")
    if script is None:
        return written_in  # digits and signs only: nothing says otherwise
    if _SCRIPT_OF_LANGUAGE.get(written_in.split("-")[0]) == script:
        return written_in
    return _ONLY_LANGUAGE_OF_SCRIPT.get(script, "")
