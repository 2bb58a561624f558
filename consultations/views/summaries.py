"""The officers' synthesis screen: the topics of the public comments, for the whole draft
and each section, with quoted sentences; and the outcome's summary of comments received,
which officers build from those quotes (add, edit, remove; each audited)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import rules, summaries
from ..models import SummaryStatement
from ..services import summaries as summary_services
from .officers import _decide, _officer_page, _officer_view


class StatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Statement"),
        max_length=summary_services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    sources = forms.CharField(
        label=gettext_lazy("Sources (comment references, separated by commas)"),
        max_length=2_000,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    section = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class StatementEditForm(StatementForm):
    order = forms.IntegerField(label=gettext_lazy("Position"), min_value=0, max_value=1_000_000)


@_officer_view
def synthesis(request, page_id: int, *, bound=None, status=200):
    page = _officer_page(request, page_id)
    whole, sections = summaries.consultation_synthesis(page)
    statements = summaries.statements_for_officers(page)
    bound = bound or {}
    for statement in statements:
        statement.form = bound.get(statement.pk) or StatementEditForm(
            prefix=f"s{statement.pk}",
            initial={
                "text": statement.text,
                "sources": ", ".join(s.reference for s in statement.sources.all()),
                "order": statement.order,
            },
        )
        statement.public_source_count = sum(1 for s in statement.sources.all() if s.is_public)
    section_names = {s["key"]: s for s in page.section_list}
    for statement in statements:
        statement.section = section_names.get(statement.section_key)
    return TemplateResponse(
        request,
        "consultations/synthesis.html",
        {
            "page": page,
            "localized": page.localized,
            "whole": whole,
            "sections": sections,
            "statements": statements,
            "add_form": bound.get("add") or StatementForm(prefix="add"),
            "can_edit": rules.can_edit_summary(request.user, page),
        },
        status=status,
    )


@require_POST
@_officer_view
def statement_add(request, page_id: int):
    page = _officer_page(request, page_id)
    form = StatementForm(request.POST, prefix="add")
    done = _decide(
        request,
        form,
        lambda data: summary_services.statement_add(
            consultation=page,
            actor=request.user,
            text=data["text"],
            references=summary_services.parse_references(data["sources"]),
            section_key=data["section"],
        ),
        _("The statement was added to the summary of comments received."),
    )
    if done:
        return redirect("consultations:synthesis", page_id=page.pk)
    return synthesis(request, page.pk, bound={"add": form}, status=400)


def _officer_statement(request, pk: int) -> SummaryStatement:
    statement = get_object_or_404(SummaryStatement, pk=pk)
    statement.consultation = _officer_page(request, statement.consultation_id)
    return statement


@require_POST
@_officer_view
def statement_edit(request, pk: int):
    statement = _officer_statement(request, pk)
    form = StatementEditForm(request.POST, prefix=f"s{statement.pk}")
    done = _decide(
        request,
        form,
        lambda data: summary_services.statement_edit(
            statement=statement,
            actor=request.user,
            text=data["text"],
            references=summary_services.parse_references(data["sources"]),
            order=data["order"],
        ),
        _("The statement was saved."),
    )
    if done:
        return redirect("consultations:synthesis", page_id=statement.consultation_id)
    return synthesis(request, statement.consultation_id, bound={statement.pk: form}, status=400)


@require_POST
@_officer_view
def statement_delete(request, pk: int):
    statement = _officer_statement(request, pk)
    page_id = statement.consultation_id
    try:
        summary_services.statement_delete(statement=statement, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The statement was removed from the summary."))
    return redirect("consultations:synthesis", page_id=page_id)
