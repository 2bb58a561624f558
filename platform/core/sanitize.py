"""Sanitising user rich text, once, on the way in (ARCHITECTURE.md: "Sanitise once").

Forum posts and consultation comments are stored only as the output of `sanitize_html`;
templates then render that stored HTML as safe. The allowlist is deliberately small:
paragraphs, emphasis, lists, quotes, code and links to http(s) and mailto addresses.
"""

import html as htmllib
import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Control characters other than tab and newlines: PostgreSQL refuses NUL in text and the
# rest only serve to hide things from readers.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# bleach is linear but not free: refuse absurd input before parsing it.
_RAW_INPUT_FACTOR = 4


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href:
        return None  # an anchor without a usable link becomes its text
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


def sanitize_html(html: str, *, max_length: int | None = None) -> str:
    """Return `html` reduced to the allowlist; raise ValidationError if it is too long.

    The limit counts characters of the cleaned HTML, which is what is stored and shown.
    """
    limit = max_length if max_length is not None else settings.USER_HTML_MAX_LENGTH
    if len(html) > limit * _RAW_INPUT_FACTOR:
        raise ValidationError(
            _("The text is far too long (%(length)d characters); the limit is %(limit)d.")
            % {"length": len(html), "limit": limit},
            code="too_long",
        )
    clean = _cleaner.clean(_CONTROL_CHARS.sub("", html)).strip()
    if len(clean) > limit:
        raise ValidationError(
            _("The text is too long (%(length)d characters); the limit is %(limit)d.")
            % {"length": len(clean), "limit": limit},
            code="too_long",
        )
    return clean


def html_to_text(html: str) -> str:
    """The visible text of clean HTML, for e-mails, exports and emptiness checks."""
    return htmllib.unescape(bleach.clean(html, tags=set(), strip=True)).strip()
