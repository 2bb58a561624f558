"""The officers' campaign screens: the list, one campaign with its members and what each
adds, and the decisions (respond once, split, merge, not a campaign)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import rules
from ..campaigns import selectors
from ..campaigns import services as campaign_services
from ..forms import ResponseForm
from ..models import Campaign, Comment
from .officers import _decide, _officer_page, _officer_view

MEMBERS_PAGE_SIZE = 50


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the audit log)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=gettext_lazy("Merge into"), coerce=int, choices=())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        others = Campaign.objects.filter(
            consultation_id=campaign.consultation_id, dismissed=False, merged_into__isnull=True
        ).exclude(pk=campaign.pk)
        self.fields["into"].choices = [("", "—")] + [
            (c.pk, f"{c.label} ({c.size})") for c in others.order_by("number")
        ]


@_officer_view
def campaign_list(request, page_id: int):
    page = _officer_page(request, page_id)
    queryset = Comment.objects.for_consultation(page)
    return TemplateResponse(
        request,
        "consultations/campaigns.html",
        {
            "page": page,
            "localized": page.localized,
            "campaigns": selectors.campaigns_for_officers(page),
            "counts": selectors.campaign_counts(queryset),
        },
    )


def _officer_campaign(request, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("consultation"), pk=pk)
    page = _officer_page(request, campaign.consultation_id)
    campaign.consultation = page
    return campaign


@_officer_view
def campaign_detail(request, pk: int, *, forms_bound=None, status=200):
    campaign = _officer_campaign(request, pk)
    if campaign.merged_into_id:
        return redirect("consultations:campaign", pk=campaign.merged_into_id)
    page = campaign.consultation
    members = (
        Comment.objects.filter(campaign=campaign)
        .select_related("author")
        .order_by("-campaign_substantive", "sequence")
    )
    params = request.GET if request.method == "GET" else request.POST
    page_obj = Paginator(members, MEMBERS_PAGE_SIZE).get_page(params.get("page"))
    bound = forms_bound or {}
    # Respond, split, merge and dismiss are one permission: officers, on an active campaign.
    can_act = rules.can_respond(request.user, page) and campaign.active
    return TemplateResponse(
        request,
        "consultations/campaign_detail.html",
        {
            "page": page,
            "localized": page.localized,
            "campaign": campaign,
            "members": selectors.members_with_additions(campaign, list(page_obj.object_list)),
            "page_obj": page_obj,
            "substantive": Comment.objects.filter(
                campaign=campaign, campaign_substantive=True
            ).count(),
            "response_form": bound.get("respond")
            or ResponseForm(
                prefix="campaign",
                initial={"disposition": campaign.disposition, "response": campaign.response},
            ),
            "merge_form": bound.get("merge") or MergeForm(prefix="merge", campaign=campaign),
            "dismiss_form": bound.get("dismiss") or ReasonForm(prefix="dismiss"),
            "can_respond": can_act,
            "can_decide": can_act,
        },
        status=status,
    )


def _decision(request, campaign, form, key, act, done):
    if _decide(request, form, act, done):
        return None
    return campaign_detail(request, campaign.pk, forms_bound={key: form}, status=400)


@require_POST
@_officer_view
def campaign_respond(request, pk: int):
    campaign = _officer_campaign(request, pk)
    form = ResponseForm(request.POST, prefix="campaign")
    refused = _decision(
        request,
        campaign,
        form,
        "respond",
        lambda data: campaign_services.campaign_respond(
            campaign=campaign,
            actor=request.user,
            disposition=data["disposition"],
            response=data["response"],
        ),
        _("The response was given to every member of %(label)s.") % {"label": campaign.label},
    )
    return refused or redirect("consultations:campaign", pk=campaign.pk)


@require_POST
@_officer_view
def campaign_merge(request, pk: int):
    campaign = _officer_campaign(request, pk)
    form = MergeForm(request.POST, prefix="merge", campaign=campaign)
    target = {}

    def act(data):
        target["into"] = campaign_services.campaign_merge(
            campaign=campaign,
            into=get_object_or_404(Campaign, pk=data["into"]),
            actor=request.user,
        )

    refused = _decision(
        request, campaign, form, "merge", act, _("%(label)s merged.") % {"label": campaign.label}
    )
    return refused or redirect("consultations:campaign", pk=target["into"].pk)


@require_POST
@_officer_view
def campaign_dismiss(request, pk: int):
    campaign = _officer_campaign(request, pk)
    form = ReasonForm(request.POST, prefix="dismiss")
    refused = _decision(
        request,
        campaign,
        form,
        "dismiss",
        lambda data: campaign_services.campaign_dismiss(
            campaign=campaign, actor=request.user, reason=data["reason"]
        ),
        _("%(label)s is no longer a campaign: its comments are individual comments.")
        % {"label": campaign.label},
    )
    return refused or redirect("consultations:campaigns", page_id=campaign.consultation_id)


@require_POST
@_officer_view
def campaign_split(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("campaign"), pk=pk)
    _officer_page(request, comment.consultation_id)
    campaign = comment.campaign
    if campaign is None:
        messages.warning(request, _("%(ref)s is not in a campaign.") % {"ref": comment.reference})
        return redirect("consultations:campaigns", page_id=comment.consultation_id)
    form = ReasonForm(request.POST, prefix="split")
    refused = _decision(
        request,
        campaign,
        form,
        "split",
        lambda data: campaign_services.campaign_split(
            comment=comment, actor=request.user, reason=data["reason"]
        ),
        _("%(ref)s is now an individual comment.") % {"ref": comment.reference},
    )
    return refused or redirect(reverse("consultations:campaign", args=[campaign.pk]))
