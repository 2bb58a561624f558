"""The course outline beside a lesson, as HTML, built in Python.

`courses/_course_nav.html` is its readable form and the reference: tests/courses/
test_markup_in_python.py renders both, for learners in every state and in every language, and
requires the same bytes. The template ran about 2.5 ms per signed-in lesson (a hundred-odd
variables, a `{% pageurl %}` per link, one include); this builds the same markup with
f-strings, every value escaped as the template's autoescaping does, the strings translated
by the same msgids.

The links: one `get_url` for the course, then each module's and lesson's URL is the course's
followed by the rest of its tree path, quoted as `reverse()` quotes it, which is what
`get_url` would give (same site, same locale) unless a Wagtail site is rooted inside the
course; then every link is asked of Wagtail.
"""

from urllib.parse import quote

from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils.html import escape
from django.utils.translation import gettext

from core.templatetags.site_ui import fallback_lang

from .navigation import NavModule

_SAFE = RFC3986_SUBDELIMS + "/~:@"


def url_maker(course, request):
    """A function giving `page.get_url(request)` for the course and the pages below it."""
    course_url = course.get_url(request)
    root = course.url_path
    inside = any(
        srp.root_path.startswith(root) and srp.root_path != root
        for srp in course._get_site_root_paths(request)
    )
    if course_url is None or inside or not course_url.endswith("/"):
        return lambda page: page.get_url(request)

    def url_of(page):
        path = page.url_path
        if not path.startswith(root):  # not below the course
            return page.get_url(request)
        return course_url + quote(path[len(root) :], safe=_SAFE)

    return url_of


def course_outline_html(
    *, request, page, course, course_nav: list[NavModule], enrolment, progress, url_of=None
) -> str:
    """What `{% include "courses/_course_nav.html" %}` renders in the lesson page's context."""
    fb = fallback_lang(page)
    raw_url_of = url_of or url_maker(course, request)

    def url_of(page):
        return escape(raw_url_of(page))

    course_url = url_of(course)
    outline_label = gettext("Course outline")
    out = [f'\n<details class="course-outline">\n  <summary>{escape(outline_label)}']
    if enrolment:
        done_text = gettext("%(done)s of %(total)s done") % {
            "done": progress.done,
            "total": progress.total,
        }
        out.append(f' <span class="muted">{done_text}</span>')
    out.append(
        "</summary>\n"
        '  <nav class="course-outline__nav" aria-labelledby="course-outline-title">\n'
        '    <h2 class="course-outline__title" id="course-outline-title">'
        f"{escape(outline_label)}</h2>\n"
        f'    <p class="course-outline__course"><a href="{course_url}"{fb}>'
        f"{escape(course.title)}</a></p>\n    "
    )
    if enrolment:
        out.append(
            progress_line_html(
                percent=progress.percent,
                done=progress.done,
                total=progress.total,
                label=gettext("Course progress"),
            )
        )
    out.append('\n    <ol class="course-outline__modules">\n      ')
    locked_tag = escape(gettext("Locked"))
    here = escape(gettext("you are here"))
    done_note = escape(gettext("(done)"))
    locked_note = escape(gettext("(locked)"))
    for module in course_nav:
        classes = "course-outline__module"
        if module.has_current:
            classes += " has-current"
        if not module.is_open:
            classes += " is-locked"
        out.append(
            f'\n        <li class="{classes}">\n'
            f'          <a class="course-outline__module-title" href="{url_of(module.page)}"{fb}>'
            f"{escape(module.page.title)}</a>"
        )
        if not module.is_open:
            out.append(f' <span class="tag">{locked_tag}</span>')
        elif enrolment:
            counts = gettext("%(done)s/%(total)s") % {"done": module.done, "total": module.total}
            out.append(f' <span class="muted nowrap">{counts}</span>')
        out.append('\n          <ol class="course-outline__lessons">\n            ')
        for lesson in module.lessons:
            classes = "outline-lesson"
            if lesson.done:
                classes += " is-done"
            if lesson.current:
                classes += " is-current"
            if lesson.locked:
                classes += " is-locked"
            mark = "✓" if lesson.done else "●" if lesson.current else "○"
            title = escape(lesson.page.title)
            if lesson.locked and not lesson.current:
                link = f"<span{fb}>{title}</span>\n                "
            else:
                current = ' aria-current="page"' if lesson.current else ""
                link = f'<a href="{url_of(lesson.page)}"{current}{fb}>{title}</a>'
            out.append(
                f'\n              <li class="{classes}">\n'
                f'                <span class="outline-mark" aria-hidden="true">{mark}</span>\n'
                f"                {link}\n"
                "                "
                + (f'<span class="outline-state">{here}</span>' if lesson.current else "")
                + "\n                "
                + (f'<span class="visually-hidden">{done_note}</span>' if lesson.done else "")
                + "\n                "
                + (f'<span class="visually-hidden">{locked_note}</span>' if lesson.locked else "")
                + "\n              </li>\n            "
            )
        out.append("\n          </ol>\n        </li>\n      ")
    out.append("\n    </ol>\n  </nav>\n</details>\n")
    return "".join(out)


def progress_line_html(*, percent, done, total, label) -> str:
    """What `courses/_progress.html` renders."""
    text = gettext("%(done)s of %(total)s lessons · %(percent)s%%") % {
        "done": done,
        "total": total,
        "percent": percent,
    }
    return (
        f'<div class="progress-line"><progress max="100" value="{percent}" '
        f'aria-label="{escape(label)}">{percent}%</progress> '
        f'<span class="muted">{text}</span></div>\n'
    )
