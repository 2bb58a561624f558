"""Views for everyone: commenting, a comment's page, its attachment."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts.rules import participant_cache_entry
from core import read_together, sessions
from core.forms import ask_for_files_again
from core.page_cache import want_entries

from .. import rules, services
from ..forms import CommentForm
from ..intake import cache_entry as intake_cache_entry
from ..intake import intake_page
from ..models import Comment, ConsultationPage


def _consultation(page_id: int) -> ConsultationPage:
    """The page, in whatever state: who may see it is the caller's question to rules.py."""
    # The concrete model's manager: one query (`.specific()` would add a second).
    return get_object_or_404(ConsultationPage.objects.select_related("locale"), pk=page_id)


def _readable_consultation(request, page_id: int) -> ConsultationPage:
    """The page, if its record is for this viewer (rules.can_read); else the same 404 as a
    page that does not exist, so that a private or withdrawn consultation is not revealed."""
    page = _consultation(page_id)
    if not rules.can_read(request.user, page, request=request):
        raise Http404
    return page


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
    # The session, the page's intake facts and the author's account and profile (the account
    # the session was last seen signed in to) from the cache in one round trip, the comment
    # counted against the rate limit in the same: under load each round trip costs a worker
    # far more than its few microseconds alone (core.read_together).
    session_keys, user_pk = sessions.keys_ahead(request)
    read_together.want(session_keys)
    want_entries([intake_cache_entry(page_id), participant_cache_entry(user_pk)])
    if request.method == "POST":
        services.count_comment_ahead(user_pk)
    return _comment_create(request, page_id)


def _comment_create(request, page_id: int):
    page = intake_page(page_id)
    if not rules.can_view_page(request.user, page, request=request):
        raise Http404
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    form = CommentForm(request.POST, request.FILES, consultation=page)
    status = 200
    if not form.is_valid() and form.token_refused:
        # A tampered or missing token: keep what was typed, give the form a fresh token.
        form = CommentForm.renewed(request.POST, request.FILES, consultation=page)
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
                request=request,
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
                if comment.confidential:
                    next_step = _(
                        "As you asked, it will not be published (a privacy request under "
                        "national law)."
                    )
                elif comment.is_published:
                    next_step = _("It is published on the consultation page.")
                else:
                    next_step = _(
                        "It will appear publicly once a consultation officer has published it."
                    )
                messages.success(
                    request,
                    _(
                        "Thank you. Your comment was received with reference number %(ref)s; a "
                        "receipt is on its way to your e-mail address."
                    )
                    % {"ref": comment.reference}
                    + " "
                    + next_step,
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
    ask_for_files_again(form)
    page = _consultation(page_id)
    context = page.get_context(request)
    context["comment_form"] = form
    context["form_has_errors"] = True
    return TemplateResponse(request, page.get_template(request), context, status=status)


def comment_detail(request, reference: str):
    """A comment's own page: the receipt for its author, the record for officers.

    Whoever may not see the comment gets the same 404 as for a reference never given, so
    that references (sequential, easy to guess) reveal nothing; the page says how an author
    who is signed out can reach their own comment."""
    comment = Comment.objects.select_related("consultation").filter(reference=reference).first()
    if comment is None or not rules.can_see_comment(request.user, comment, request=request):
        return TemplateResponse(request, "consultations/comment_not_found.html", status=404)
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
            "show_response": rules.can_see_responses(request.user, comment.consultation),
        },
    )


def attachment(request, reference: str):
    comment = Comment.objects.select_related("consultation").filter(reference=reference).first()
    if comment is None or not rules.can_download_attachment(request.user, comment, request=request):
        raise Http404
    return FileResponse(
        comment.attachment.open("rb"),
        as_attachment=True,
        filename=f"{comment.reference}.pdf",
        content_type="application/pdf",
    )
