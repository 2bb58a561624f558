"""The forms a page offers, read from its HTML: which fields each one posts, to which URL, with
which values a browser would send untouched. The URL sweep fills them with garbage, so a field
added to a form tomorrow is swept tomorrow."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CHOICE_TYPES = {"hidden", "checkbox", "radio", "submit", "button"}


@dataclass
class Form:
    action: str  # the path it posts to
    multipart: bool = False
    text: set = field(default_factory=set)  # fields a person types into
    choices: dict = field(default_factory=dict)  # field → a value the page offers
    files: set = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() != "post":
                self._form = None
                return
            action = urlsplit(urljoin(self.page_url, a.get("action") or self.page_url)).path
            self._form = Form(action, multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
            return
        if tag == "option":
            if self._form and self._select and not self._form.choices.get(self._select):
                self._form.choices[self._select] = a.get("value", "")
            return
        form, name = self._form, a.get("name", "")
        if form is None or not name or name == "csrfmiddlewaretoken":
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind == "file":
            form.files.add(name)
        elif tag == "input" and kind in CHOICE_TYPES:
            form.choices.setdefault(name, a.get("value", "on"))
        elif tag in ("input", "textarea"):
            form.text.add(name)
        elif tag == "select":
            self._select = name
            form.choices.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
