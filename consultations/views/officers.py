"""The officers' screens: queue, moderation, responses, closing, outcome."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.moderation import ModerationStatus

from .. import rules, services
from ..forms import CloseForm, ModerationForm, OutcomeForm, ResponseForm
from ..models import Comment, ConsultationPage
from .public import _add_errors, _consultation

# --- officers -----------------------------------------------------------------------


def _officer_page(request, page_id: int) -> ConsultationPage:
    page = _consultation(page_id).canonical
    if not rules.can_manage(request.user, page):
        if not request.user.is_authenticated:
            raise _LoginRequired
        raise PermissionDenied
    return page


class _LoginRequired(Exception):
    pass


def _officer_view(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


MANAGE_PAGE_SIZE = 50
STATUS_FILTERS = {"pending", "published", "rejected", "hidden", "confidential", "unanswered"}


@_officer_view
def manage(
    request,
    page_id: int,
    *,
    forms_by_comment=None,
    close_form=None,
    outcome_form=None,
    outcome_blocking=None,
    status=200,
):
    """The officers' screen for one consultation: queue, responses, closing, outcome."""
    page = _officer_page(request, page_id)
    # A refused decision re-renders the screen the officer posted from (filter and page).
    params = request.GET if request.method == "GET" else request.POST
    shown = params.get("show", "")
    comments = Comment.objects.filter(consultation=page).select_related("author", "campaign")
    if shown == "confidential":
        comments = comments.filter(confidential=True)
    elif shown == "pending":
        comments = comments.awaiting_moderation()
    elif shown == "unanswered":
        comments = comments.needing_response()
    elif shown in STATUS_FILTERS:
        comments = comments.filter(moderation_status=shown)
    elif shown:
        messages.warning(
            request, _("Unknown filter “%(value)s”: showing all comments.") % {"value": shown[:40]}
        )
        shown = ""
    page_obj = Paginator(comments.order_by("sequence"), MANAGE_PAGE_SIZE).get_page(
        params.get("page")
    )
    comments = list(page_obj.object_list)
    forms_by_comment = forms_by_comment or {}
    rows = []
    for comment in comments:
        bound = forms_by_comment.get(comment.pk, {})
        rows.append(
            {
                "comment": comment,
                "moderation_form": bound.get("moderation")
                or ModerationForm(prefix=f"m{comment.pk}"),
                "response_form": bound.get("response")
                or ResponseForm(
                    prefix=f"r{comment.pk}",
                    initial={"disposition": comment.disposition, "response": comment.response},
                ),
            }
        )
    outcome = page.outcome
    return TemplateResponse(
        request,
        "consultations/manage.html",
        {
            "page": page,
            "localized": page.localized,
            "rows": rows,
            "shown": shown,
            "page_obj": page_obj,
            "filters": [
                ("", _("All")),
                ("pending", _("Awaiting moderation")),
                ("published", _("Published")),
                ("rejected", _("Rejected")),
                ("hidden", _("Hidden")),
                ("confidential", _("Not to be published")),
                ("unanswered", _("Without response")),
            ],
            "can_moderate": rules.can_moderate(request.user, page),
            "can_respond": rules.can_respond(request.user, page),
            "can_close": rules.can_close_early(request.user, page),
            "can_publish_outcome": rules.can_publish_outcome(request.user, page),
            "close_form": close_form or CloseForm(),
            "outcome_form": outcome_form or OutcomeForm(),
            "outcome_blocking": outcome_blocking or [],
            "outcome": outcome,
        },
        status=status,
    )


def _officer_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    if not rules.can_manage(request.user, comment.consultation):
        raise PermissionDenied
    return comment


def _back_to_manage(comment_or_page, request):
    """The officers' screen, with the filter they had; after a decision on a comment, at that
    comment (its row), so the officer goes on from where they were."""
    page_id = getattr(comment_or_page, "consultation_id", None) or comment_or_page.pk
    url = reverse("consultations:manage", args=[page_id])
    query = {}
    if (shown := request.POST.get("show", "")) in STATUS_FILTERS:
        query["show"] = shown
    if (number := request.POST.get("page", "")).isdigit() and number != "1":
        query["page"] = number
    if query:
        url += f"?{urlencode(query)}"
    if isinstance(comment_or_page, Comment):
        url += f"#row-{comment_or_page.reference}"
    return redirect(url)


def _comment_decision(request, pk: int, *, form_class, prefix: str, form_key: str, act, done):
    """One officer's decision on one comment: the form, the service (`act`), the message
    (`done`); refused, the officers' screen again with that form's errors (HTTP 400)."""
    comment = _officer_comment(request, pk)
    form = form_class(request.POST, prefix=f"{prefix}{comment.pk}")
    if form.is_valid():
        try:
            act(comment, form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done(comment))
            return _back_to_manage(comment, request)
    return manage(
        request,
        comment.consultation_id,
        forms_by_comment={comment.pk: {form_key: form}},
        status=400,
    )


@require_POST
def moderate(request, pk: int):
    return _comment_decision(
        request,
        pk,
        form_class=ModerationForm,
        prefix="m",
        form_key="moderation",
        act=lambda comment, data: services.comment_moderate(
            comment=comment,
            actor=request.user,
            to_status=data["decision"],
            reason_code=data["reason_code"],
            reason=data["reason"],
        ),
        done=lambda comment: (
            _("%(ref)s: %(status)s.")
            % {
                "ref": comment.reference,
                "status": ModerationStatus(comment.moderation_status).label,
            }
        ),
    )


@require_POST
def respond(request, pk: int):
    return _comment_decision(
        request,
        pk,
        form_class=ResponseForm,
        prefix="r",
        form_key="response",
        act=lambda comment, data: services.comment_respond(
            comment=comment,
            actor=request.user,
            disposition=data["disposition"],
            response=data["response"],
        ),
        done=lambda comment: _("Response to %(ref)s saved.") % {"ref": comment.reference},
    )


@require_POST
@_officer_view
def close_now(request, page_id: int):
    page = _officer_page(request, page_id)
    form = CloseForm(request.POST)
    if form.is_valid() and request.POST.get("confirm") != "1":
        if "change" in request.POST:  # back from the confirmation, with what was typed
            return manage(request, page_id, close_form=form)
        if rules.can_close_early(request.user, page):
            return _confirm(
                request,
                page,
                form,
                heading=_("Close the comment period now?"),
                consequence=_(
                    "Nobody can comment after this, whatever the announced deadline. The "
                    "public page shows the reason and the time of closing. This cannot be "
                    "undone."
                ),
                summary=[(form.fields["reason"].label, form.cleaned_data["reason"])],
                action=reverse("consultations:close", args=[page.pk]) + "#close",
                confirm_label=_("Yes, close the comment period"),
            )
    if form.is_valid():
        try:
            services.consultation_close_now(
                consultation=page, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The comment period is closed."))
            return _back_to_manage(page, request)
    return manage(request, page_id, close_form=form, status=400)


@require_POST
@_officer_view
def publish_outcome(request, page_id: int):
    page = _officer_page(request, page_id)
    form = OutcomeForm(request.POST)
    blocking = []
    if form.is_valid() and request.POST.get("confirm") != "1":
        if "change" in request.POST:
            return manage(request, page_id, outcome_form=form)
        problems = services.outcome_blockers(page)
        if problems:
            # Refused before asking: nothing to confirm while comments block the outcome.
            blocking = _blocking_comments(page, ValidationError(problems), form)
            return manage(
                request, page_id, outcome_form=form, outcome_blocking=blocking, status=400
            )
        if rules.can_publish_outcome(request.user, page):
            data = form.cleaned_data
            return _confirm(
                request,
                page,
                form,
                heading=_("Publish the outcome?"),
                consequence=_(
                    "The decision and the response to every comment become public, and every "
                    "commenter is e-mailed the outcome at once. It cannot be withdrawn."
                ),
                summary=[
                    (form.fields["decision"].label, data["decision"]),
                    (form.fields["decision_date"].label, data["decision_date"].isoformat()),
                    (
                        form.fields["comments_taken_into_account"].label,
                        data["comments_taken_into_account"],
                    ),
                ],
                action=reverse("consultations:outcome", args=[page.pk]) + "#outcome-form",
                confirm_label=_("Yes, publish the outcome"),
            )
    if form.is_valid():
        try:
            services.outcome_publish(consultation=page, actor=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            blocking = _blocking_comments(page, exc, form)
        else:
            messages.success(
                request, _("The outcome is published and every commenter is being told by e-mail.")
            )
            return redirect(page.localized.url)
    return manage(request, page_id, outcome_form=form, outcome_blocking=blocking, status=400)


def _confirm(request, page, form, *, heading, consequence, summary, action, confirm_label):
    """A step that asks before an act that cannot be undone; it works without JavaScript:
    the answers travel in hidden fields, "confirm" carries them out, "change" goes back to
    the form with them."""
    return TemplateResponse(
        request,
        "consultations/confirm.html",
        {
            "page": page,
            "localized": page.localized,
            "form": form,
            "heading": heading,
            "consequence": consequence,
            "summary": summary,
            "action": action,
            "confirm_label": confirm_label,
        },
    )


# Which filter of the officers' screen lists the comments of each blocking kind.
BLOCKER_FILTERS = {"awaiting_moderation": "pending", "needs_response": "unanswered"}


def _blocking_comments(page, exc: ValidationError, form) -> list[dict]:
    """The outcome's refusal for the error summary: each comment that blocks it as a link to
    its row on the officers' screen (filtered to its kind); other errors go on the form."""
    errors = exc.error_list if not hasattr(exc, "error_dict") else []
    for field, field_errors in getattr(exc, "error_dict", {}).items():
        if field in form.fields:
            form.add_error(field, field_errors)
        else:
            errors.extend(field_errors)
    items = []
    for error in errors:
        shown = BLOCKER_FILTERS.get(error.code)
        if shown is None:
            form.add_error(None, error)
            continue
        params = error.params or {}
        url = reverse("consultations:manage", args=[page.pk]) + f"?show={shown}"
        if "reference" in params:
            url += f"#row-{params['reference']}"
        items.append({"text": error.message % params, "href": url})
    return items


def _decide(request, form, act, done):
    """Run `act` on a valid form; a refusal is shown on the form, nothing is lost. True when
    it was done (the officers' campaign and summary screens share it)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from .public import _add_errors

    if form.is_valid():
        try:
            act(form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return True
    return False
