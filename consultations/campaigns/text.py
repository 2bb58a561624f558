"""The text side of campaign grouping: tokens, shingles, sentences, the common text of a
campaign and what one copy adds to it. Pure functions, no database.

Chinese (and Japanese) has no spaces: every CJK character is a token, so a shingle of three
tokens is three characters there and three words elsewhere, and a text mixing scripts
works the same way.
"""

import hashlib
import html as htmllib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SHINGLE = 3
# A copy: the shared shingles cover half the shorter text at least (an edited or shortened
# copy; one with three of seven sentences put in the sender's own words still shares half)
# and a fair part of the longer one (a copy with a paragraph added). A one-sentence quote of
# a form letter covers the quote but a small part of the letter; two independent comments
# on one subject share a few phrases (at most 0.15 of the shorter in the tests' corpus,
# tests/consultations/campaign_corpus.py), far below both bounds.
MIN_COVER_SHORT = 0.5
MIN_COVER_LONG = 0.3

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
# CJK text with its full-width punctuation: sentences there join without a space.
_CJK_JOIN = re.compile(rf"[{_CJK}\u3000-\u303f\uff00-\uffef]")
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；])\s*|\n+")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li|blockquote|pre|h\d)>|<br\s*/?>", re.IGNORECASE)


def plain(clean_html: str) -> str:
    """The text of stored (already sanitised) comment HTML, paragraphs on their own lines."""
    text = _BLOCK_END.sub("\n", clean_html or "")
    return htmllib.unescape(_TAG.sub("", text)).strip()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def weight(text: str) -> float:
    """Length in words: a CJK character counts half a word (two characters make a word in
    most running Chinese text)."""
    found = tokens(text)
    cjk = sum(1 for t in found if _CJK_CHAR.fullmatch(t))
    return (len(found) - cjk) + cjk / 2


def _h32(value: str) -> int:
    # Stable across processes (Python's hash() is salted per process): every worker and the
    # regrouping command must compute the same signature for the same text.
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=4).digest(), "little")


_TOKEN_IDS: dict[str, int] = {}
_TOKEN_IDS_MAX = 500_000


def _token_id(token: str) -> int:
    found = _TOKEN_IDS.get(token)
    if found is None:
        if len(_TOKEN_IDS) >= _TOKEN_IDS_MAX:
            _TOKEN_IDS.clear()
        found = _TOKEN_IDS[token] = _h32(token)
    return found


def shingle_hashes(text: str) -> np.ndarray:
    """The sorted, distinct 32-bit hashes of the text's shingles (token 3-grams). A text
    shorter than a shingle is one shingle of its own, so exact copies of a short text still
    meet; a text without any word (punctuation only) has none and is never grouped."""
    found = tokens(text)
    if not found:
        return np.empty(0, dtype=np.uint32)
    if len(found) < SHINGLE:
        return np.array([_h32(" ".join(found))], dtype=np.uint32)
    # A list comprehension over the cache, misses filled after: half the time of a call per
    # token (shingling is most of a regrouping's own work).
    listed = list(map(_TOKEN_IDS.get, found))
    if None in listed:
        listed = [_token_id(t) if v is None else v for t, v in zip(found, listed, strict=True)]
    ids = np.array(listed, dtype=np.uint64)
    # Each 3-gram's hash from its tokens' (stable) hashes, mixed in 64-bit arithmetic that
    # wraps (splitmix64's finaliser), then cut to 32 bits.
    with np.errstate(over="ignore"):
        h = (ids[:-2] * np.uint64(0x9E3779B97F4A7C15) + ids[1:-1]) * np.uint64(
            0xBF58476D1CE4E5B9
        ) + ids[2:]
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return np.unique((h & np.uint64(0xFFFFFFFF)).astype(np.uint32))


def covers(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(share of the shorter text covered, share of the longer one) by the shingles both
    hold."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / min(len(a), len(b)), shared / max(len(a), len(b))


def is_copy(a: np.ndarray, b: np.ndarray) -> bool:
    short, long = covers(a, b)
    return short >= MIN_COVER_SHORT and long >= MIN_COVER_LONG


# --- sentences: the common text and what a copy adds --------------------------------------


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


@lru_cache(maxsize=65_536)
def sentence_key(sentence: str) -> str:
    # Cached: the copies of a form letter repeat the same sentences, and the common text
    # and every member's addition ask for their keys again.
    return " ".join(tokens(sentence))


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if out and not (_CJK_JOIN.match(part[:1]) and _CJK_JOIN.match(out[-1:])):
            out += " "
        out += part
    return out


def common_text(texts: list[str]) -> str:
    """The form letter behind a campaign: the sentences at least half of its members (two at
    the least) share, in the order of the member that holds most of them."""
    if not texts:
        return ""
    if len(texts) == 1:
        return texts[0].strip()
    split = [sentences(t) for t in texts]
    counts: dict[str, int] = {}
    for member in split:
        for key in {sentence_key(s) for s in member}:
            if key:
                counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(texts) + 1) // 2)
    common = {k for k, n in counts.items() if n >= needed}
    if not common:
        return ""
    best = max(split, key=lambda member: sum(1 for s in member if sentence_key(s) in common))
    seen, ordered = set(), []
    for sentence in best:
        key = sentence_key(sentence)
        if key in common and key not in seen:
            seen.add(key)
            ordered.append(sentence)
    return _join(ordered)


@dataclass
class Segment:
    text: str
    added: bool


@dataclass
class Addition:
    segments: list[Segment]
    text: str  # the added sentences, joined
    substantive: bool  # more than a greeting or a signature


GREETING_WORDS = 6  # a greeting or a signature: a short line at the start or the end
SUBSTANTIVE_WORDS = 8  # added words, besides greetings and signatures, worth a response
REWORDED = 0.5  # share of a sentence's word pairs found in the common text: a rewording


def _pairs(text: str) -> set[str]:
    found = tokens(text)
    if len(found) < 2:
        return set(found)
    return {found[i] + " " + found[i + 1] for i in range(len(found) - 1)}


def addition(text: str, common: str, memo: dict | None = None) -> Addition:
    """What `text` (one member) adds to the campaign's `common` text: its sentences that are
    neither in the common text nor a rewording of one of its sentences. Substantive when the
    added words, besides a short greeting or signature line, reach SUBSTANTIVE_WORDS."""
    # `memo` (one per common text, kept by the caller across members) remembers each
    # sentence's verdict: the copies of one letter repeat the same sentences.
    memo = {} if memo is None else memo
    if "" not in memo:
        memo[""] = ({sentence_key(s) for s in sentences(common)}, _pairs(common))
    common_keys, common_pairs = memo[""]
    parts = sentences(text)
    segments, added, substantive_words = [], [], 0.0
    for index, sentence in enumerate(parts):
        known = memo.get(sentence)
        if known is None:
            key = sentence_key(sentence)
            pairs = _pairs(sentence)
            known = memo[sentence] = (
                not key
                or key in common_keys
                or bool(pairs and len(pairs & common_pairs) / len(pairs) >= REWORDED)
            )
        if known:
            segments.append(Segment(sentence, False))
            continue
        segments.append(Segment(sentence, True))
        added.append(sentence)
        words = weight(sentence)
        edge = index == 0 or index >= len(parts) - 2
        if not (edge and words <= GREETING_WORDS):
            substantive_words += words
    return Addition(segments, _join(added), substantive_words >= SUBSTANTIVE_WORDS)
