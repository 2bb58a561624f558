"""Sanitising user rich text, once, on the way in (ARCHITECTURE.md: "Sanitise once").

Forum posts and consultation comments are stored only as the output of `sanitize_html`;
templates then render that stored HTML as safe. The allowlist is deliberately small:
paragraphs, emphasis, lists, quotes, code and links to http(s) and mailto addresses.
"""

import html as htmllib
import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Control characters other than tab and newlines (PostgreSQL refuses NUL in text), and the
# bidirectional overrides that can make a link or a name read backwards.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Elements whose content is code or hidden, not prose: dropped with their content (bleach
# alone would strip the tags and show the code as text). An unclosed one runs to the end,
# as in a browser.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|object|title|textarea|xmp|noembed|noframes)\b"
    r"[^>]{0,500}>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
# What a browser ignores when it reads a URL scheme: whitespace, controls, and (for bleach's
# parser) anything outside ASCII.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]|[^\x00-\x7f]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Plain-text URLs become links only for the schemes we allow.
_URL_RE = build_url_re(protocols=sorted(ALLOWED_PROTOCOLS - {"mailto"}))
# bleach is not free on deeply nested input: refuse absurd input before parsing it.
_RAW_INPUT_FACTOR = 3


def _set_rel(attrs, new=False):
    """Runs on every link, written or linkified: allowed schemes only, and our rel."""
    href = attrs.get((None, "href"), "")
    if not href:
        return None  # an anchor without a usable link becomes its text
    scheme = _SCHEME.match(_URL_NOISE.sub("", href).lower())
    if scheme and scheme.group(1) not in ALLOWED_PROTOCOLS:
        # e.g. "javascript:1", which bleach's parser mistakes for a port number.
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    # Callbacks still run on links written inside <pre>/<code>; only bare URLs stay text there.
    filters=[
        partial(LinkifyFilter, callbacks=[_set_rel], url_re=_URL_RE, skip_tags={"pre", "code"})
    ],
)


def sanitize_html(html: str, *, max_length: int | None = None) -> str:
    """Return `html` reduced to the allowlist; raise ValidationError if it is too long.

    The limit counts characters of the cleaned HTML, which is what is stored and shown.
    """
    limit = max_length if max_length is not None else settings.USER_HTML_MAX_LENGTH
    if len(html) > limit * _RAW_INPUT_FACTOR:
        raise _too_long(
            _("The text is far too long (%(length)d characters); the limit is %(limit)d."),
            len(html),
            limit,
        )
    text = _DROP_WITH_CONTENT.sub("", _CONTROL_CHARS.sub("", html))
    clean = _left_as_it_is(text)
    if clean is None:
        clean = _cleaner.clean(text)
    clean = clean.strip()
    if len(clean) > limit:
        raise _too_long(
            _("The text is too long (%(length)d characters); the limit is %(limit)d."),
            len(clean),
            limit,
        )
    return clean


# Text that bleach gives back as it is: plain paragraphs, line breaks and characters that need
# no escaping. Most comments and posts are just that, and parsing them with html5lib was the
# largest part of taking one (tests/core/test_sanitize_fast_path.py: the same output as bleach).
_TEXT_RUN = r"[^<>&\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]*"
_UNCHANGED = re.compile(rf"{_TEXT_RUN}(?:(?:<p>|</p>|<br>){_TEXT_RUN})*")
_PARAGRAPH_TAG = re.compile(r"</?p>")


def _left_as_it_is(text: str) -> str | None:
    """bleach's output for `text` when that is `text` itself (line endings made \\n, as the
    HTML parser reads them), or None when bleach has to parse it: other markup, a character to
    escape, a paragraph inside a paragraph or left open, something the linkifier would link."""
    if not _UNCHANGED.fullmatch(text) or _URL_RE.search(text):
        return None
    open_paragraph = False
    for tag in _PARAGRAPH_TAG.findall(text):
        if (tag == "<p>") == open_paragraph:  # nested, or closing one that is not open
            return None
        open_paragraph = not open_paragraph
    if open_paragraph:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_long(message: str, length: int, limit: int) -> ValidationError:
    return ValidationError(message % {"length": length, "limit": limit}, code="too_long")


_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


# Plain one-line text (names, organisations): every control character, the bidirectional
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the direction marks
# (U+200E, U+200F, U+061C). In a name they serve only to make it read as something else;
# templates already isolate user text (<bdi>, dir="auto"), which is what real mixed-direction
# names need.
_PLAIN_TEXT_NOISE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """A one-line plain-text field as it may be stored and shown: no control or bidi
    characters, runs of whitespace made one space, no space at either end."""
    # Line breaks and tabs become spaces first, so that "Li\nWei" stays two words.
    without_noise = _PLAIN_TEXT_NOISE.sub("", _SPACES.sub(" ", text or ""))
    return _SPACES.sub(" ", without_noise).strip()


def html_to_text(html: str) -> str:
    """The visible text of clean HTML, for e-mails, exports and emptiness checks."""
    text = htmllib.unescape(bleach.clean(html, tags=set(), strip=True))
    return _INVISIBLE.sub("", text).strip()


# A tag of the sanitiser's output, whose attribute values are always quoted and may hold ">".
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def has_visible_text(clean_html: str) -> bool:
    """Whether `clean_html` (sanitize_html's output) shows any text: html_to_text's answer
    without parsing the HTML a second time (every comment and post is checked)."""
    return bool(_INVISIBLE.sub("", htmllib.unescape(_TAG.sub("", clean_html))).strip())
