"""Views for everyone: commenting, a comment's page, its attachment."""

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.forms import ask_for_files_again

from .. import rules, services
from ..forms import CommentForm
from ..models import Comment, ConsultationPage


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
        form = CommentForm(data, request.FILES, consultation=page)
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
                if comment.confidential:
                    next_step = _("As you asked, it will not be published (Art. 21).")
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
