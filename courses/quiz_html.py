"""The quiz block as HTML, built in Python.

`courses/blocks/quiz.html` (with the includes `_assessment_status.html`, `_result_head.html`,
`_verdict.html`, `_result_foot.html`) is its readable form and the reference: tests/courses/
test_quiz_in_python.py renders both, for the blank form, the form refilled after a slip, the
marked result, the preview, in several languages, and requires the same bytes. The template ran
about 8 % of a signed-in lesson page (five includes, a few hundred variables); this builds the
same markup with f-strings.

As the templates do: every value is escaped as autoescaping does (numbers localized first), a
`{% trans %}` literal is translated by the same msgid and not escaped (template literals are
safe), a `{% blocktrans %}` is translated by its msgid and only the values put in are escaped.
"""

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from core.form_renderer import value_html as _v

from .templatetags.course_ui import choice_fields


def _t(message: str) -> str:
    """`{% trans "message" %}`: the template doubles `%` in the msgid and undoes it after."""
    return gettext(message.replace("%", "%%")).replace("%%", "%")


def _join(values) -> str:
    """`{{ values|join:"; " }}`."""
    return "; ".join(conditional_escape(v) for v in values)


def _verdict(item) -> str:
    """courses/blocks/_verdict.html (its trailing newline included, as the include gives it)."""
    if item.right:
        return f'<span class="tag tag--ok">{_t("Right")}</span>\n'
    return f'<span class="tag tag--bad">{_t("Wrong")}</span>\n'


def _status(context, state) -> str:
    """courses/blocks/_assessment_status.html."""
    mode = getattr(state, "mode", None)
    out = []
    if mode == "signin":
        request = context.get("request")
        # An unresolvable `request.path` renders as the engine's string_if_invalid, "".
        path = getattr(request, "path", "") if request is not None else ""
        text = gettext(
            '<a href="%(login_url)s?next=%(next)s">Sign in</a> and enrol to have your '
            "answers marked and recorded."
        ) % {"login_url": conditional_escape(reverse("account_login")), "next": _v(path)}
        out.append(f'\n  <p class="notice">{text}</p>\n')
    elif mode == "enrol":
        out.append(
            f'\n  <p class="notice">'
            f"{_t('Enrol in the course to have your answers marked and recorded.')}</p>\n"
        )
    out.append("\n")
    for error in getattr(state, "errors", None) or ():
        out.append(f'<p class="message message--error" role="alert">{_v(error)}</p>')
    out.append("\n")
    return "".join(out)


def _result_head(state) -> str:
    """courses/blocks/_result_head.html."""
    last = state.last
    passed = last.passed
    attempt = gettext("Attempt %(number)s: %(score)s%% (pass mark %(mark)s%%)") % {
        "score": _v(last.score),
        "mark": _v(state.pass_mark),
        "number": _v(last.number),
    }
    return (
        f'<div class="result {"result--pass" if passed else "result--fail"}" role="status">\n'
        f"  <p><strong>{_t('Passed') if passed else _t('Not passed yet')}</strong> ·\n"
        f"  {attempt}</p>\n</div>\n"
    )


def _result_foot(state) -> str:
    """courses/blocks/_result_foot.html."""
    again = _t("Take it again") if state.passed_ever else _t("Try again")
    out = [f'<p><a class="button" href="{_v(state.retry_url)}">{again}</a></p>\n']
    attempts = state.attempts
    count = len(attempts)
    if count > 1:
        summary = ngettext("%(counter)s attempt", "All %(counter)s attempts", count) % {
            "counter": _v(count)
        }
        passed, not_passed = _t("passed"), _t("not passed")
        rows = "".join(
            f"<li>{_v(a.score)}% · {passed if a.passed else not_passed} · "
            f'<time datetime="{_date(a.submitted_at, "c")}" dir="ltr">'
            f"{_date(a.submitted_at, 'Y-m-d H:i')} UTC</time></li>"
            for a in attempts
        )
        out.append(
            f"\n  <details><summary>{summary}</summary>\n"
            f'    <ol class="attempts">{rows}</ol>\n  </details>\n'
        )
    out.append("\n")
    return "".join(out)


def _date(value, fmt: str) -> str:
    """`{{ value|date:fmt }}`: the filter expects local time; its output is escaped."""
    return conditional_escape(date_filter(template_localtime(value), fmt))


def _result(state) -> str:
    """The `state.mode == "result"` branch of quiz.html."""
    why, your, right_answer = _t("Why"), _t("Your answer"), _t("Right answer")
    out = [f'\n    {_result_head(state)}\n    <ol class="questions">\n      ']
    for item in state.items:
        prompt = _v(item.prompt)
        out.append(
            f'\n        <li class="question">{_verdict(item)} <strong>{prompt}</strong>\n          '
        )
        if item.parts:
            right, total, share = (_v(p) for p in item.parts[:3])
            text = gettext(
                "Partly right: %(right)s of %(total)s parts, %(share)s%% of this question's mark."
            ) % {"right": right, "total": total, "share": share}
            out.append(f'<p class="muted">{text}</p>')
        out.append("\n          ")
        explanation = _v(item.explanation)
        if item.rows:
            caption = gettext("Your matches for “%(prompt)s”") % {"prompt": prompt}
            rows = "".join(
                f'<tr><th scope="row">{_v(row.item)}</th><td>{_v(row.given)}</td>'
                f"<td>{_v(row.expected)}</td><td>{_verdict(row)}</td></tr>"
                for row in item.rows
            )
            out.append(
                '\n            <div class="table-scroll"><table class="data match-result">\n'
                f'              <caption class="visually-hidden">{caption}</caption>\n'
                f'              <thead><tr><th scope="col">{_t("Item")}</th>'
                f'<th scope="col">{your}</th><th scope="col">{right_answer}</th>'
                f'<th scope="col">{_t("Mark")}</th></tr></thead>\n'
                f"              <tbody>{rows}</tbody>\n"
                "            </table></div>\n"
                f'            <dl class="feedback"><dt>{why}</dt><dd>{explanation}</dd></dl>\n'
                "          "
            )
        else:
            expected = (
                "" if item.right else f"<dt>{right_answer}</dt><dd>{_join(item.expected)}</dd>"
            )
            out.append(
                f'\n          <dl class="feedback"><dt>{your}</dt><dd>{_join(item.given)}</dd>\n'
                f"          {expected}\n"
                f"          <dt>{why}</dt><dd>{explanation}</dd></dl>\n          "
            )
        out.append("</li>\n      ")
    out.append(f"\n    </ol>\n    {_result_foot(state)}\n  ")
    return "".join(out)


def _csrf(context) -> str:
    """`{% csrf_token %}` (django.template.defaulttags.CsrfTokenNode)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - CsrfTokenNode's marker
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _hint(kind: str) -> str:
    if kind == "multiple":
        return f' <span class="muted">{_t("(choose all that apply)")}</span>'
    if kind == "ordering":
        return (
            ' <span class="muted" data-ordering-select-hint>'
            f"{_t('(give each item its position, 1 first)')}</span>"
        )
    if kind == "matching":
        return f' <span class="muted">{_t("(match each item)")}</span>'
    return ""


_DRAG_HINT = "Drag the items into order, or use the arrow buttons. The top item is first."


def _form(context, state) -> str:
    """The form branch of quiz.html (a state that is not a result)."""
    block_id = _v(state.block_id)
    out = [
        f'\n    <form method="post" action="#block-{block_id}" novalidate>{_csrf(context)}\n'
        '      <input type="hidden" name="action" value="assess">'
        f'<input type="hidden" name="block" value="{block_id}">'
        f'<input type="hidden" name="attempt" value="{_v(state.number)}">\n'
        '      <ol class="questions">\n        '
    ]
    for item in state.items:
        item_id = _v(item.id)
        fields = choice_fields(item, state)
        if item.kind == "ordering":
            fields = (
                '<div class="ordering" data-ordering'
                f' data-move-up="{_t("Move up")}" data-move-down="{_t("Move down")}"'
                f' data-moved="{_t("%(item)s is now in position %(position)s of %(count)s.")}">\n'
                '                <p class="muted" data-ordering-hint hidden>'
                f"{_t(_DRAG_HINT)}"
                f"</p>\n                {fields}</div>\n              "
            )
        missing = described = ""
        if item.missing:
            missing = (
                f'<p class="errorlist" id="missing-{item_id}">{_t("Answer this question.")}</p>'
            )
            described = f' aria-describedby="missing-{item_id}"'
        out.append(
            f'\n          <li class="question{" is-missing" if item.missing else ""}">\n'
            f"            <fieldset{described}>\n"
            f"              <legend>{_v(item.prompt)}{_hint(item.kind)}</legend>\n"
            f"              {missing}\n"
            f"              {fields}\n"
            "            </fieldset>\n          </li>\n        "
        )
    submit = (
        f'<button type="submit">{_t("Submit answers")}</button>' if state.mode == "form" else ""
    )
    out.append(f"\n      </ol>\n      {submit}\n    </form>\n  ")
    return "".join(out)


def quiz_html(context) -> str:
    """What `render_to_string("courses/blocks/quiz.html", context)` renders."""
    value = context["value"]
    state = context.get("state")
    block_id = (state.block_id if state is not None else "") or "preview"
    count = len(value["questions"])
    heading = ngettext(
        "Quiz · %(counter)s question · pass mark %(mark)s%%",
        "Quiz · %(counter)s questions · pass mark %(mark)s%%",
        count,
    ) % {"counter": _v(count), "mark": _v(value["pass_mark"])}
    out = [
        '<section class="assessment assessment--quiz" '
        f'aria-labelledby="title-{_v(block_id)}">\n'
        f'  <h2 id="title-{_v(block_id)}">{_v(value["title"])}</h2>\n'
        f'  <p class="muted">{heading}</p>\n'
        f"  {_status(context, state)}\n  "
    ]
    if state is not None and state.mode == "result":
        out.append(_result(state))
    elif state:
        out.append(_form(context, state))
    else:
        prompts = "".join(f"<li>{_v(q.value['prompt'])}</li>" for q in value["questions"])
        out.append(f'\n    <ol class="questions">{prompts}</ol>\n  ')
    out.append("\n</section>\n")
    return "".join(out)
