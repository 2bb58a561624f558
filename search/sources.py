"""What each kind of content puts in the index: its documents.

One builder per kind, each working on a batch of objects in a fixed number of queries (the
rebuild indexes 200,000 items in minutes). Who may find a document is asked of
search.policy; only the text the policy shows is taken (a post's own words, never the quote
of another post; a comment's text, never its justification, names or response).
"""

import html as htmllib
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from . import policy
from .models import AREA_OF_KIND, Kind, SearchEntry
from .text import clean

BODY_STORED = 20_000  # characters of plain text kept for snippets


@dataclass
class Document:
    source: str
    object_id: int
    family: str
    kind: str
    language: str
    title: str
    url: str
    date: datetime
    part: str = ""
    headings: str = ""
    body: str = ""
    index_title: bool = True  # a post shows its thread's title but is not found by it
    trail: list[str] = field(default_factory=list)
    anchor: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    has_outcome: bool = False
    access: policy.Access = policy.PUBLIC

    def entry(self, now) -> SearchEntry:
        return SearchEntry(
            source=self.source,
            object_id=self.object_id,
            part=self.part,
            family=self.family,
            area=AREA_OF_KIND[self.kind],
            kind=self.kind,
            language=self.language,
            title=clean(self.title)[:300],
            body=clean("\n".join(t for t in (self.headings, self.body) if t))[:BODY_STORED],
            trail=[clean(label)[:300] for label in self.trail],
            url=self.url[:500],
            anchor=self.anchor[:80],
            date=self.date,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            has_outcome=self.has_outcome,
            public=self.access.public,
            author_id=self.access.author_id,
            scope=self.access.scope,
            status=self.access.status,
            indexed_at=now,
        )


def language_of(code: str | None) -> str:
    """One of settings.LANGUAGES for what a model stores ("zh-hans", "", "fr-ca")."""
    codes = [c for c, _name in settings.LANGUAGES]
    code = (code or "").lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    for candidate in codes:
        if candidate.split("-")[0] == base and base:
            return candidate
    return settings.LANGUAGE_CODE


_BLOCK_TAG = re.compile(
    r"</?(?:p|br|li|ul|ol|blockquote|pre|h[1-6]|div|table|tr|td|th|dd|dt|embed)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _text(html) -> str:
    """The text of stored HTML: sanitised user HTML (core.sanitize) or an editor's rich
    text. Tags out, entities decoded: only for the index and for snippets, which are
    escaped again when shown. (bleach's parser, as in core.sanitize.html_to_text, costs
    50 times more: it would dominate a rebuild.)"""
    source = str(getattr(html, "source", html) or "")
    text = htmllib.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", source)))
    return _SPACES.sub(" ", text).strip()


def _lines(*parts) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


# --- courses -------------------------------------------------------------------------


COURSE_KINDS = {"coursepage": Kind.COURSE, "modulepage": Kind.MODULE, "lessonpage": Kind.LESSON}


def _lesson_text(body) -> tuple[str, str]:
    """(headings, text) of a lesson body, in reading order: headings, glossary terms,
    article references and callout titles weigh as headings; assessments give their
    titles and prompts, never their answers."""
    headings, text = [], []
    for child in body:
        kind, value = child.block_type, child.value
        if kind == "paragraph":
            text.append(_text(value))
        elif kind == "heading":
            headings.append(value["text"])
            text.append(value["text"])
        elif kind == "glossary":
            headings.append(value["term"])
            text.append(_lines(value["term"], value["definition"]))
        elif kind == "article_ref":
            label = f"Art. {value['article']}"
            headings.append(label)
            text.append(_lines(label, value["summary"]))
        elif kind == "callout":
            headings.append(value.get("title") or "")
            text.append(_lines(value.get("title"), _text(value["text"])))
        elif kind == "video":
            headings.append(value["title"])
            text.append(_lines(value["title"], _text(value["transcript"])))
        elif kind == "image":
            text.append(_lines(value.get("caption"), value.get("alt_text")))
        elif kind == "document":
            text.append(_lines(value["title"], value.get("description")))
        elif kind == "quiz":
            prompts = [q.value.get("prompt", "") for q in value["questions"]]
            text.append(_lines(value["title"], *prompts))
        elif kind == "identifier_exercise":
            items = [item["identifier"] for item in value["items"]]
            text.append(_lines(value["title"], value.get("instructions"), " · ".join(items)))
        elif kind == "document_check":
            text.append(_lines(value["title"], value.get("scenario")))
    return _lines(*headings), _lines(*text)


def _ancestor_titles(pages) -> dict[str, str]:
    """path → title of every ancestor of `pages` (one query)."""
    paths = set()
    for page in pages:
        for depth in range(1, page.depth):
            paths.add(page.path[: depth * Page.steplen])
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def course_documents(pages) -> list[Document]:
    """Courses, modules and lessons (specific pages that policy.public_pages returned)."""
    titles = _ancestor_titles(pages)
    documents = []
    for page in pages:
        kind = COURSE_KINDS.get(type(page).__name__.lower())
        url = page.get_url()
        if kind is None or not url:
            continue
        # course › module: the ancestors below the course index
        trail_depths = {Kind.COURSE: 0, Kind.MODULE: 1, Kind.LESSON: 2}[kind]
        trail = [
            titles.get(page.path[: depth * Page.steplen], "")
            for depth in range(page.depth - trail_depths, page.depth)
        ]
        if kind == Kind.LESSON:
            headings, body = _lesson_text(page.body)
            body = _lines(page.summary, body)
        elif kind == Kind.COURSE:
            headings, body = "", _lines(page.summary, page.audience, page.learning_outcomes)
        else:
            headings, body = "", page.summary
        documents.append(
            Document(
                source="courses.page",
                object_id=page.pk,
                family=f"courses.page:{page.pk}",
                kind=kind,
                language=language_of(page.locale.language_code),
                title=page.title,
                headings=headings,
                body=body,
                trail=[t for t in trail if t],
                url=url,
                date=page.last_published_at
                or page.first_published_at
                or page.latest_revision_created_at,
            )
        )
    return documents


# --- consultations ---------------------------------------------------------------------


def consultation_family(page) -> str:
    return f"consultation:{page.translation_key}"


def _period(page) -> dict:
    return {
        "opens_at": page.opens_at,
        "closes_at": page.closes_at,
        "has_outcome": page.canonical.outcome is not None,
    }


def consultation_documents(page) -> list[Document]:
    """A consultation page (title, LMO, identifier, decision type, authority, summary) and
    each of its draft sections, in the page's language."""
    language = language_of(page.locale.language_code)
    url = page.get_url()
    if not url:
        return []
    with translation.override(language):
        decision_type = str(page.get_decision_type_display())
    period = _period(page)
    family = consultation_family(page)
    date = page.opens_at
    documents = [
        Document(
            source="consultations.page",
            object_id=page.pk,
            family=family,
            kind=Kind.CONSULTATION,
            language=language,
            title=page.title,
            headings=_lines(page.lmo_name, page.lmo_identifier, decision_type, page.authority),
            body=_lines(
                _text(page.summary),
                *[_lines(d.value.get("description")) for d in page.documents],
            ),
            url=url,
            date=date,
            **period,
        )
    ]
    for section in page.section_list:
        label = f"{section['number']}. {section['heading']}"
        documents.append(
            Document(
                source="consultations.page",
                object_id=page.pk,
                part=section["key"],
                family=family,
                kind=Kind.SECTION,
                language=language,
                title=label,
                body=_text(section["body"]),
                trail=[page.title],
                url=url,
                anchor=section["anchor"],
                date=date,
                **period,
            )
        )
    return documents


def comment_places(canonical) -> dict[str, tuple[str, str, dict]]:
    """language → (url, title, {section key: label}) of the consultation's public pages;
    comments in a language without a public translation point at the canonical page."""
    from consultations.models import ConsultationPage

    pages = policy.public_pages(
        ConsultationPage.objects.filter(translation_key=canonical.translation_key)
    ).select_related("locale")
    places = {}
    for page in pages:
        url = page.get_url()
        if url:
            labels = {s["key"]: f"{s['number']}. {s['heading']}" for s in page.section_list}
            places[language_of(page.locale.language_code)] = (url, page.title, labels)
    return places


def comment_documents(canonical, comments, places=None) -> list[Document]:
    """Comments of one consultation (its canonical page, which policy found public)."""
    places = places if places is not None else comment_places(canonical)
    fallback = places.get(language_of(canonical.locale.language_code))
    if fallback is None:
        return []
    period = _period(canonical)
    family = consultation_family(canonical)
    documents = []
    for comment in comments:
        language = language_of(comment.language)
        url, title, labels = places.get(language, fallback)
        access = policy.comment_access(comment)
        trail = [title]
        if comment.section_key and comment.section_key in labels:
            trail.append(labels[comment.section_key])
        documents.append(
            Document(
                source="consultations.comment",
                object_id=comment.pk,
                part=comment.section_key,
                family=family,
                kind=Kind.COMMENT,
                language=language,
                title=comment.reference,
                index_title=False,
                body=_text(comment.body),
                trail=trail,
                # Only public comments stand on the consultation page; the others on their
                # own page (the author's receipt, the officers' view).
                url=url if access.public else _comment_page(comment),
                anchor=f"comment-{comment.reference}" if access.public else "",
                date=comment.submitted_at,
                access=access,
                **period,
            )
        )
    return documents


def _comment_page(comment) -> str:
    from django.urls import reverse

    with translation.override(language_of(comment.language)):
        return reverse("consultations:comment", args=[comment.reference])


# --- forums ----------------------------------------------------------------------------


def thread_family(thread_id: int) -> str:
    return f"forums.thread:{thread_id}"


def thread_documents(threads) -> list[Document]:
    """Threads with their group and forum selected."""
    documents = []
    for thread in threads:
        group = thread.group
        documents.append(
            Document(
                source="forums.thread",
                object_id=thread.pk,
                family=thread_family(thread.pk),
                kind=Kind.THREAD,
                language=language_of(group.forum.language),
                title=thread.title,
                trail=[group.forum.title, group.theme],
                url=thread.get_absolute_url(),
                date=thread.published_at or thread.created_at,
                access=policy.thread_access(thread),
            )
        )
    return documents


def post_documents(posts) -> list[Document]:
    """Posts with their thread, group and forum selected."""
    documents = []
    for post in posts:
        thread = post.thread
        group = thread.group  # selected with its forum
        documents.append(
            Document(
                source="forums.post",
                object_id=post.pk,
                family=thread_family(thread.pk),
                kind=Kind.POST,
                language=language_of(post.language or group.forum.language),
                title=thread.title,
                index_title=False,
                body=_text(post.body),
                trail=[group.forum.title, group.theme, thread.title],
                url=thread.get_absolute_url(),
                anchor=f"post-{post.pk}",
                date=post.created_at,
                access=policy.post_access(post, thread),
            )
        )
    return documents
