"""Views parse input, call one service or selector, and render. Rules: rules.py."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.moderation import ModerationStatus

from . import exports, rules, services, statistics
from .forms import CloseForm, CommentForm, ModerationForm, OutcomeForm, ResponseForm
from .models import Comment, ConsultationPage


def _consultation(page_id: int) -> ConsultationPage:
    # The concrete model's manager: one query (`.specific()` would add a second).
    return get_object_or_404(ConsultationPage.objects.live().select_related("locale"), pk=page_id)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def comment_create(request, page_id: int):
    """POST a comment from the consultation page; errors re-render the page, input kept."""
    page = _consultation(page_id)
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    form = CommentForm(request.POST, request.FILES, consultation=page)
    status = 200
    if not form.is_valid() and "token" in form.errors:
        # A tampered or missing token: keep what was typed, give the form a fresh token.
        data = request.POST.copy()
        data["token"] = str(uuid.uuid4())
        form = CommentForm(data, consultation=page)
        form.is_valid()
        form.add_error(None, _("This form was out of date. Please check it and send it again."))
        status = 400
    elif form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.comment_submit(
                consultation=page,
                author=request.user,
                body=data["body"],
                submission_token=data["token"],
                section_key=data["section"],
                show_name=data["show_name"],
                confidential=data["confidential"],
                confidential_justification=data["confidential_justification"],
                attachment=data["attachment"],
                language=request.LANGUAGE_CODE,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not comment on this consultation."))
            status = 403
        except ValidationError as exc:
            _add_errors(form, exc)
            status = 429 if getattr(exc, "code", "") == "rate_limited" else 400
        else:
            comment = submission.comment
            if submission.created:
                messages.success(
                    request,
                    _(
                        "Thank you. Your comment was received with reference number %(ref)s; a "
                        "receipt is on its way to your e-mail address."
                    )
                    % {"ref": comment.reference},
                )
            else:
                messages.info(
                    request,
                    _(
                        "This comment was already received (reference %(ref)s); it was not "
                        "stored twice."
                    )
                    % {"ref": comment.reference},
                )
            return redirect("consultations:comment", reference=comment.reference)
    else:
        status = 400
    context = page.get_context(request)
    context["comment_form"] = form
    context["form_has_errors"] = True
    return TemplateResponse(request, page.get_template(request), context, status=status)


def comment_detail(request, reference: str):
    """A comment's own page: the receipt for its author, the record for officers."""
    comment = get_object_or_404(Comment.objects.select_related("consultation"), reference=reference)
    if not rules.can_see_comment(request.user, comment):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    page = comment.consultation.localized
    section = page.section_by_key(comment.section_key) if comment.section_key else None
    return TemplateResponse(
        request,
        "consultations/comment_detail.html",
        {
            "comment": comment,
            "page": page,
            "section": section,
            "is_author": request.user.is_authenticated and comment.author_id == request.user.pk,
            "can_manage": rules.can_manage(request.user, comment.consultation),
            "outcome_published": comment.consultation.state == "outcome",
        },
    )


def attachment(request, reference: str):
    comment = get_object_or_404(Comment, reference=reference)
    if not comment.attachment or not rules.can_download_attachment(request.user, comment):
        raise Http404
    return FileResponse(
        comment.attachment.open("rb"),
        as_attachment=True,
        filename=f"{comment.reference}.pdf",
        content_type="application/pdf",
    )


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
    request, page_id: int, *, forms_by_comment=None, close_form=None, outcome_form=None, status=200
):
    """The officers' screen for one consultation: queue, responses, closing, outcome."""
    page = _officer_page(request, page_id)
    shown = request.GET.get("show", "")
    comments = Comment.objects.filter(consultation=page).select_related("author")
    if shown == "confidential":
        comments = comments.filter(confidential=True)
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
        request.GET.get("page")
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
                ("confidential", _("Confidential")),
                ("unanswered", _("Without response")),
            ],
            "can_moderate": rules.can_moderate(request.user, page),
            "can_respond": rules.can_respond(request.user, page),
            "can_close": rules.can_close_early(request.user, page),
            "can_publish_outcome": rules.can_publish_outcome(request.user, page),
            "close_form": close_form or CloseForm(),
            "outcome_form": outcome_form or OutcomeForm(),
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
    page_id = getattr(comment_or_page, "consultation_id", None) or comment_or_page.pk
    url = reverse("consultations:manage", args=[page_id])
    shown = request.POST.get("show", "")
    if shown in STATUS_FILTERS:
        url += f"?show={shown}"
    return redirect(url)


@require_POST
def moderate(request, pk: int):
    comment = _officer_comment(request, pk)
    form = ModerationForm(request.POST, prefix=f"m{comment.pk}")
    if form.is_valid():
        try:
            services.comment_moderate(
                comment=comment,
                actor=request.user,
                to_status=form.cleaned_data["decision"],
                reason_code=form.cleaned_data["reason_code"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s: %(status)s.")
                % {
                    "ref": comment.reference,
                    "status": ModerationStatus(comment.moderation_status).label,
                },
            )
            return _back_to_manage(comment, request)
    return manage(
        request,
        comment.consultation_id,
        forms_by_comment={comment.pk: {"moderation": form}},
        status=400,
    )


@require_POST
def respond(request, pk: int):
    comment = _officer_comment(request, pk)
    form = ResponseForm(request.POST, prefix=f"r{comment.pk}")
    if form.is_valid():
        try:
            services.comment_respond(
                comment=comment,
                actor=request.user,
                disposition=form.cleaned_data["disposition"],
                response=form.cleaned_data["response"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Response to %(ref)s saved.") % {"ref": comment.reference})
            return _back_to_manage(comment, request)
    return manage(
        request,
        comment.consultation_id,
        forms_by_comment={comment.pk: {"response": form}},
        status=400,
    )


@require_POST
@_officer_view
def close_now(request, page_id: int):
    page = _officer_page(request, page_id)
    form = CloseForm(request.POST)
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
    if form.is_valid():
        try:
            services.outcome_publish(consultation=page, actor=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("The outcome is published and every commenter is being told by e-mail.")
            )
            return redirect(page.localized.url)
    return manage(request, page_id, outcome_form=form, status=400)


# --- exports and statistics ------------------------------------------------------------


def export(request, page_id: int, scope: str, fmt: str):
    page = _consultation(page_id).canonical
    if scope == "all":
        if not rules.can_export_all(request.user, page):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        queryset = Comment.objects.filter(consultation=page)
        columns = exports.OFFICER_COLUMNS
    elif scope == "public":
        queryset = Comment.objects.public().filter(consultation=page)
        columns = exports.PUBLIC_COLUMNS
    else:
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    filename = f"{page.reference_prefix}-comments-{scope}"
    if fmt == "csv":
        return exports.csv_response(queryset, columns, filename)
    if fmt == "xlsx":
        return exports.xlsx_response(queryset, columns, filename)
    raise Http404


def stats(request, page_id: int):
    """Statistics: officers count every comment; everyone else the public ones."""
    localized = _consultation(page_id)
    page = localized.canonical
    everything = rules.can_manage(request.user, page)
    queryset = Comment.objects.filter(consultation=page)
    if not everything:
        queryset = queryset.public()
    return TemplateResponse(
        request,
        "consultations/statistics.html",
        {
            "page": localized,
            "everything": everything,
            "tables": statistics.tables(queryset, localized),
        },
    )


@_officer_view
def officer_home(request):
    """Every consultation with its comments awaiting moderation or a response."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not rules.can_manage(request.user, None):
        raise PermissionDenied
    from django.db.models import Count, Q

    pages = (
        ConsultationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .annotate(
            total=Count("comments", distinct=True),
            pending=Count(
                "comments", filter=Q(comments__moderation_status="pending"), distinct=True
            ),
            unanswered=Count(
                "comments",
                filter=Q(comments__disposition="")
                & (
                    Q(comments__moderation_status="published")
                    | Q(comments__moderation_status="pending", comments__confidential=True)
                ),
                distinct=True,
            ),
        )
        .order_by("-closes_at")
    )
    return TemplateResponse(request, "consultations/officer_home.html", {"pages": pages})
