"""From what a person types to the clean HTML we store (core.sanitize does the cleaning)."""

import html as htmllib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from core.sanitize import has_visible_text, html_to_text, sanitize_html
from core.text_language import text_language

# Text with a tag in it is treated as HTML (and cleaned); anything else as plain text, so that
# "a < b" and line breaks typed in a form survive as the author wrote them.
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK_START = re.compile(r"<(p|ul|ol|blockquote|pre)\b")
_SPACE = re.compile(r"\s+")


def post_max_length() -> int:
    """The FORUMS_POST_MAX_LENGTH setting (environment variable of that name; 10,000)."""
    return int(settings.FORUMS_POST_MAX_LENGTH)


def body_to_html(text: str) -> str:
    """Clean HTML for a post body; ValidationError if empty or too long."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not _LOOKS_LIKE_HTML.search(text):
        text = linebreaks(text, autoescape=True)
    clean = sanitize_html(text, max_length=post_max_length())
    if clean and not _BLOCK_START.match(clean):
        # Inline HTML only ("<b>yes</b>, and…"): paragraphs from its line breaks, like plain text.
        clean = linebreaks(clean, autoescape=False)
    if not has_visible_text(clean):
        raise ValidationError(_("Please write something before sending."), code="empty")
    return clean


_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>")
_LINE_BREAK = re.compile(r"<br\s*/?>\n?")
_AUTOLINK = re.compile(r'<a href="(?:http://)?([^"<>]*)" rel="nofollow ugc noopener">\1</a>')
_TAG = re.compile(r"<[^>]*>")


def body_to_editable(html: str) -> str:
    """The text a participant would type to get this stored post: the inverse of body_to_html,
    so that a moderator's "edit before approving" shows the words the author wrote, not
    <p>…</p>. A post written with markup of its own (lists, emphasis) stays as it was written,
    since plain text could not keep it; what is returned always gives back the same post."""
    html = html or ""
    candidate = _PARAGRAPH_BREAK.sub("\n\n", html.strip())
    candidate = _LINE_BREAK.sub("\n", candidate)
    candidate = _AUTOLINK.sub(lambda m: htmllib.unescape(m.group(1)), candidate)
    if candidate.startswith("<p>") and candidate.endswith("</p>"):
        candidate = candidate[3:-4]
    if _TAG.search(candidate):
        return html
    candidate = htmllib.unescape(candidate)
    try:
        same = body_to_html(candidate) == html
    except ValidationError:
        same = False
    return candidate if same else html


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def quote_excerpt(quote: str, source_html: str) -> str:
    """The quoted words, checked against the post they claim to come from: a quote that the
    post does not contain is refused, so nobody is misquoted."""
    quote = normalise_space(quote)
    if not quote:
        return ""
    if len(quote) > 1000:
        raise ValidationError(_("Quote at most 1,000 characters."), code="quote_too_long")
    if quote not in normalise_space(html_to_text(source_html)):
        raise ValidationError(
            _("The quoted words do not appear in the post you reply to."), code="bad_quote"
        )
    return quote


def guess_language(html: str) -> str:
    """The language of a post's script where only one of the platform's languages is written
    in it ("zh-hans", "ar", "ru"), else "" (the page's language applies): marks the post for
    screen readers, which read Chinese inside an English page (and vice versa) with the wrong
    voice. Latin text could be English, French or Spanish: not guessed."""
    return text_language(html_to_text(html), "")
