"""Text → search tokens, the same way when indexing and when searching.

The database's own tokenisers do not know Chinese (a word inside a longer run of characters
is not found) nor Arabic spelling variants, so we tokenise here and hand the database plain
lexemes (SQLite FTS5 and PostgreSQL only split them on spaces):

- Chinese runs are segmented with jieba. Indexing keeps the words *and* their overlapping
  sub-words (`cut_for_search`), so 标识 finds 独特标识符; a query is cut into words, so
  生物安全 finds 改性活生物体的生物安全. The HMM guesser is off on both sides: the same
  characters are always cut the same way, whatever surrounds them.
- Arabic is normalised (alef and hamza forms, ى/ي, ة/ه, diacritics, tatweel) and lightly
  stemmed (prefixes ال و ب ك ف ل, common suffixes), as Lucene's Arabic analyser does.
- Latin scripts are folded (case, accents, ø/ß/æ/œ) then stemmed with Snowball in the
  text's language (English, French, Spanish); Cyrillic with the Russian stemmer. A query
  word is stemmed in every language, so a query in one language finds all of them.
- OECD unique identifiers are recognised with `core.identifiers` and indexed as one more
  token, so MON-89034-3, MON 89Ø34-3 and mon-89ø34-3 all find MON-89Ø34-3.

Every function takes any string (NUL, lone surrogates, 10,000 characters) without raising.
"""

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.identifiers import check_identifier

# A stored text is cut here; beyond it nothing is indexed (a post is at most 10,000 chars).
MAX_TEXT = 60_000
MAX_TOKEN = 40  # longer "words" are noise (URLs, base64): not indexed
MAX_QUERY = 200  # characters of a query that are read
MAX_TERMS = 12  # words of a query that are searched

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
# Combining marks that belong inside a word: Latin accents typed decomposed, Arabic harakat.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = re.compile(rf"[{_HAN}]+|(?:[^\W_{_HAN}]|[{_MARKS}])+")
_HAN_RUN = re.compile(rf"^[{_HAN}]+$")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DIGIT = re.compile(r"\d")
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# Identifiers: up to three runs of letters, digits and Ø, joined by spaces or dashes.
_DASH = "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_ID_RUN = re.compile("[A-Za-z0-9ØøØ∅⌀０-９Ａ-Ｚａ-ｚ]+")
_ID_GAP = re.compile(rf"[ \t{_DASH}]{{1,3}}")

STEMMER_FOR = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}
LATIN_LANGUAGES = ("english", "french", "spanish")

_FOLD = str.maketrans(
    {"ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_FOLD_DIGITS = str.maketrans({"ø": "0", "∅": "0", "⌀": "0"})
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_NORMAL = str.maketrans(
    {
        "آ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
        "\u0640": None,  # tatweel
    }
)
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# Lucene's light stemmer (Larkey et al., "light10"): one prefix, then the suffixes.
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ي")

# Dropped from a query when other words remain (never from the index): with every word
# required, "the identifier of a maize" would otherwise need "the", "of" and "a".
STOPWORDS = frozenset(
    """a an and are as at be by for from how in is it of on or the to what when where which
    who why with au aux avec ce ces dans de des du en est et la le les leur ou par pas pour
    qu que qui sa se son sur un une al con del el es las lo los para por se su una y и в во
    не что на с со как а то по из за от о об для или к у же ли 的 了 是 和 在 与 及 或 也 就 都
    而 被 把 这 那 有 في من على الى إلى عن مع او أو ثم ما لا ان أن هو هي هذا هذه ذلك
    التي الذي""".split()
)

# Protocol terms as the Chinese text writes them: cut as one word (and their parts).
DOMAIN_WORDS = (
    "卡塔赫纳生物安全议定书",
    "生物安全议定书",
    "生物安全",
    "改性活生物体",
    "活生物体",
    "生物安全资料交换所",
    "独特标识符",
    "标识符",
    "风险评估",
    "风险管理",
    "越境转移",
    "事先知情同意",
    "主管部门",
    "国家联络点",
    "封闭使用",
    "转基因",
    "公众参与",
    "公众意识",
    "意外释放",
    "随附单据",
)

_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    """jieba, loaded on first use (about a second): a site that never sees Chinese text
    never pays for it."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word)
                tokenizer.initialize()
                _jieba = tokenizer
    return _jieba


@lru_cache(maxsize=8)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def clean(text) -> str:
    """Text that is safe to store and to search: str, no NUL or other control characters,
    no lone surrogates (they cannot be encoded), at most MAX_TEXT characters."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _UNSAFE.sub(" ", text[:MAX_TEXT])


def stemmer_language(language: str) -> str:
    """The Snowball stemmer for Latin-script words in a text of `language`: its own where we
    have one, English otherwise (English words inside Chinese or Arabic text)."""
    name = STEMMER_FOR.get((language or "en").split("-")[0], "english")
    return name if name in LATIN_LANGUAGES else "english"


def _arabic(word: str) -> str:
    word = _ARABIC_DIACRITICS.sub("", word).translate(_ARABIC_NORMAL)
    for prefix in _AR_PREFIXES:
        if (
            word.startswith(prefix)
            and len(word) >= len(prefix) + 2
            and not (len(prefix) == 1 and len(word) < 4)
        ):
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def _fold_latin(word: str) -> str:
    if _DIGIT.search(word):
        word = word.translate(_FOLD_DIGITS)
    word = word.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def _word_tokens(word: str, stem_as: str | None) -> tuple[str, ...]:
    """The lexemes of one non-Chinese word: for the index, stemmed in `stem_as`; for a query
    (`stem_as=None`), the variants in every language that could have written it."""
    word = unicodedata.normalize("NFKC", word).casefold().translate(_ARABIC_DIGITS)
    word = word.replace("_", "")
    if not word or len(word) > MAX_TOKEN:
        return ()
    if _ARABIC.search(word):
        token = _arabic(word)
        return (token,) if token else ()
    if _CYRILLIC.search(word):
        word = word.replace("ё", "е")
        return (_stemmer("russian").stemWord(word),)
    word = _fold_latin(word)
    if not word or not word.isalnum():
        return (word,) if word else ()
    if _DIGIT.search(word):
        return (word,)
    if stem_as is not None:
        return (_stemmer(stem_as).stemWord(word),)
    return tuple(dict.fromkeys(_stemmer(name).stemWord(word) for name in LATIN_LANGUAGES))


def identifier_token(compact: str) -> str:
    return "id" + compact.lower().replace("ø", "0")


def _identifier_at(parts: list[str]) -> str | None:
    """The unique identifier that these 1–3 runs spell, checked by core.identifiers."""
    compact = "".join(parts)
    compact = unicodedata.normalize("NFKC", compact).upper()
    if len(compact) != 9 or not compact[-1].isdigit():
        return None
    for split in (3, 2):
        result = check_identifier(f"{compact[:split]}-{compact[split:8]}-{compact[8]}")
        if result.is_acceptable:
            return identifier_token(result.normalised.replace("-", ""))
    return None


def identifiers(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of each unique identifier written in `text`, however spelled:
    MON-89Ø34-3, MON 89034-3, mon89ø343, ＭＯＮ－８９０３４－３."""
    if not _DIGIT.search(text):
        return []  # an identifier ends with its check digit
    runs = [m.span() for m in _ID_RUN.finditer(text)]
    found = []
    for j, (_start, b) in enumerate(runs):
        # Windows that end here: the check digit closes the run, nothing word-like follows.
        if not text[b - 1].isdigit() or (b < len(text) and _is_word(text[b])):
            continue
        length = 0
        for i in range(j, max(j - 3, -1), -1):
            start, end = runs[i]
            length += end - start
            if length > 9 or (i < j and not _ID_GAP.fullmatch(text, end, runs[i + 1][0])):
                break
            if length == 9 and not (start and _is_word(text[start - 1])):
                token = _identifier_at([text[s:e] for s, e in runs[i : j + 1]])
                if token:
                    found.append((token, start, b))
                break
    return found


GLOSSARY = Path(__file__).resolve().parent.parent / "fixtures" / "glossary_zh.json"


@lru_cache(maxsize=1)
def _glossary_variants() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(variant, the course's term, words that contain the variant but are not it) from the
    Chinese glossary (docs/glossary-zh.md): 唯一标识符 is how many people write 独特标识符."""
    try:
        terms = json.loads(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    except (OSError, ValueError, KeyError):
        return ()
    return tuple(
        (variant, term["zh"], tuple(term.get("allow", ())))
        for term in terms
        for variant in term.get("avoid", ())
        if variant and term.get("zh")
    )


def glossary_terms(run: str) -> list[tuple[str, int, int]]:
    """The glossary term for each variant written in a run of Chinese characters, with where
    the variant stands: indexed beside the variant's own words, so that a query for either
    finds both."""
    found = []
    for variant, term, allowed in _glossary_variants():
        start = run.find(variant)
        while start != -1:
            if not _inside(run, start, start + len(variant), allowed):
                found.append((term, start, start + len(variant)))
            start = run.find(variant, start + 1)
    return found


def _inside(run: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether run[start:end] is part of one of `words` written around it (转化体 in 转化体系)."""
    for word in words:
        at = run.find(word)
        while at != -1:
            if at <= start and end <= at + len(word):
                return True
            at = run.find(word, at + 1)
    return False


def _as_glossary_terms(run: str) -> str:
    """A query's run of Chinese characters with each variant written as the glossary term."""
    for term, a, b in sorted(glossary_terms(run), key=lambda found: -found[1]):
        run = run[:a] + term + run[b:]
    return run


def _is_word(char: str) -> bool:
    return char.isalnum()


@dataclass(frozen=True)
class Token:
    lexeme: str
    start: int
    end: int


def tokens(text: str, language: str = "en") -> list[Token]:
    """Every lexeme of `text` (a text in `language`) with where it stands, for the index and
    for highlighting: Chinese words and sub-words, stemmed words, identifiers."""
    text = clean(text)
    stem_as = stemmer_language(language)
    out: list[Token] = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if _HAN_RUN.match(word):
            for piece, a, b in _segmenter().tokenize(word, mode="search", HMM=False):
                out.append(Token(piece, start + a, start + b))
            out.extend(Token(term, start + a, start + b) for term, a, b in glossary_terms(word))
            continue
        for lexeme in _word_tokens(word, stem_as):
            out.append(Token(lexeme, start, match.end()))
    out.extend(Token(lexeme, a, b) for lexeme, a, b in identifiers(text))
    return out


def lexemes(text: str, language: str = "en") -> list[str]:
    """The lexemes of `text` in reading order: what the index stores (`tokens` without the
    positions, several times faster: the rebuild's inner loop)."""
    text = clean(text)
    stem_as = stemmer_language(language)
    out: list[str] = []
    for word in _WORD.findall(text):
        if _HAN_RUN.match(word):
            out.extend(_segmenter().cut_for_search(word, HMM=False))
            out.extend(term for term, _a, _b in glossary_terms(word))
        else:
            out.extend(_word_tokens(word, stem_as))
    out.extend(lexeme for lexeme, _a, _b in identifiers(text))
    return out


@dataclass(frozen=True)
class Query:
    """A parsed query: every term must match; a term matches any of its variants."""

    terms: tuple[frozenset[str], ...]
    truncated: bool = False

    @property
    def lexemes(self) -> frozenset[str]:
        return frozenset(v for term in self.terms for v in term)

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> Query:
    """The terms of what someone typed. Operators, quotes and FTS or SQL syntax are plain
    punctuation here: only words survive, so no input can change the query's structure."""
    text = clean(text)
    truncated = len(text) > MAX_QUERY
    text = text[:MAX_QUERY]
    terms: list[tuple[frozenset[str], bool]] = []  # (variants, is a stop word)
    covered: list[tuple[int, int]] = []
    for lexeme, a, b in identifiers(text):
        terms.append((frozenset({lexeme}), False))
        covered.append((a, b))
    for match in _WORD.finditer(text):
        if any(a <= match.start() < b for a, b in covered):
            continue  # a part of an identifier: the identifier's token stands for it
        word = match.group()
        if _HAN_RUN.match(word):
            for piece in _segmenter().lcut(_as_glossary_terms(word), HMM=False):
                terms.append((frozenset({piece}), piece in STOPWORDS))
            continue
        variants = _word_tokens(word, None)
        if variants:
            terms.append((frozenset(variants), word.casefold() in STOPWORDS))
    words = [variants for variants, stop in terms if not stop]
    unique = list(dict.fromkeys(words or [variants for variants, _stop in terms]))
    truncated = truncated or len(unique) > MAX_TERMS
    return Query(terms=tuple(unique[:MAX_TERMS]), truncated=truncated)


def highlight_spans(text: str, language: str, query: Query) -> list[tuple[int, int]]:
    """Where `query` matches in `text`, as merged (start, end) spans. Cheaper than `tokens`
    (snippets are cut for every result on every page): a Chinese query word is looked for
    as it is written, other words through the word cache, identifiers only when asked."""
    text = clean(text)
    wanted = query.lexemes
    spans = []
    for lexeme in wanted:
        if _HAN_RUN.match(lexeme):
            start = text.find(lexeme)
            while start != -1 and len(spans) < 200:
                spans.append((start, start + len(lexeme)))
                start = text.find(lexeme, start + len(lexeme))
    if any(term in wanted for _variant, term, _allowed in _glossary_variants()):
        for run in _WORD.finditer(text):
            spans += [
                (run.start() + a, run.start() + b)
                for term, a, b in glossary_terms(run.group())
                if term in wanted
            ]
    stem_as = stemmer_language(language)
    if any(not _HAN_RUN.match(lexeme) for lexeme in wanted):
        for match in _WORD.finditer(text):
            word = match.group()
            if not _HAN_RUN.match(word) and wanted.intersection(_word_tokens(word, stem_as)):
                spans.append(match.span())
    if any(lexeme.startswith("id") for lexeme in wanted):
        spans += [(a, b) for lexeme, a, b in identifiers(text) if lexeme in wanted]
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]
