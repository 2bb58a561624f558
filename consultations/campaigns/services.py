"""Officers' decisions on campaigns: respond once, split a member out, merge two campaigns,
"not a campaign". Each is checked against rules.py, logged in the audit log (core
moderation log) and kept by regrouping: the comments it touches are pinned (kept in their
campaign) or excluded (never grouped again)."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moderation import ModerationStatus, moderation_record
from core.page_cache import invalidate

from .. import rules
from ..models import Campaign, CampaignBucket, Comment
from ..models.pages import consultation_tag
from ..services.moderation import response_errors
from . import placement

REASON_MAX = 2_000


def _clears_public_pages(decision):
    """The consultation's public pages show campaigns ("and N others sent this text", the
    statistics, the responses): after a decision, cached copies are not served again. The
    decisions write with queryset updates, which send no signal the page cache hears."""

    @functools.wraps(decision)
    def decided(**kwargs):
        result = decision(**kwargs)
        target = kwargs.get("campaign") or kwargs.get("comment")
        invalidate(consultation_tag(target.consultation_id))
        return result

    return decided


def _check_manage(actor, campaign, *, respond=False):
    consultation = campaign.consultation
    allowed = (
        rules.can_respond(actor, consultation)
        if respond
        else rules.can_moderate(actor, consultation)
    )
    if not allowed:
        raise PermissionDenied(
            _("Campaigns are handled by consultation officers before the outcome is published.")
        )
    if respond or consultation.state == rules.OUTCOME:
        if not rules.can_respond(actor, consultation):
            raise PermissionDenied(
                _("Campaigns are handled by consultation officers before the outcome is published.")
            )
    if not campaign.active:
        raise ValidationError(
            _(
                "This campaign was merged or marked “not a campaign”; nothing more can be "
                "done with it."
            ),
            code="inactive",
        )


@_clears_public_pages
def campaign_respond(*, campaign: Campaign, actor, disposition: str, response: str) -> int:
    """Answer a campaign once: the disposition and response go to every member, except the
    members an officer answered individually (a substantive addition) and rejected ones.
    Members are pinned, so regrouping keeps them with the answer. Returns how many members
    received it."""
    _check_manage(actor, campaign, respond=True)
    response = (response or "").strip()
    errors = response_errors(
        disposition,
        response,
        missing=_("Please write the response the commenters and the public will read."),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        previous = campaign.response
        now = timezone.now()
        members = Comment.objects.filter(campaign=campaign).exclude(
            moderation_status=ModerationStatus.REJECTED
        )
        # Answered individually: a response of its own, not the campaign's earlier one.
        answered_alone = members.exclude(response="").exclude(response=previous)
        updated = members.exclude(pk__in=answered_alone.values("pk")).update(
            disposition=disposition,
            response=response,
            responded_by=actor,
            responded_at=now,
            campaign_pinned=True,
        )
        Comment.objects.filter(campaign=campaign).update(campaign_pinned=True)
        campaign.disposition, campaign.response = disposition, response
        campaign.responded_by, campaign.responded_at = actor, now
        campaign.save(update_fields=["disposition", "response", "responded_by", "responded_at"])
        moderation_record(
            item=campaign,
            action="campaign_respond",
            actor=actor,
            note=f"{disposition}; {updated} members",
        )
    return updated


@_clears_public_pages
def campaign_split(*, comment: Comment, actor, reason: str = "") -> Comment:
    """Take one member out of its campaign: an individual comment from now on, which
    regrouping leaves alone."""
    campaign = comment.campaign
    if campaign is None:
        raise ValidationError(_("This comment is not in a campaign."), code="not_member")
    _check_manage(actor, campaign)
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(
            campaign=None,
            campaign_excluded=True,
            campaign_pinned=False,
            campaign_added_text="",
            campaign_substantive=False,
        )
        size = Comment.objects.filter(campaign=campaign).count()
        Campaign.objects.filter(pk=campaign.pk).update(size=size)
        moderation_record(
            item=comment,
            action="campaign_split",
            actor=actor,
            reason=(reason or "")[:REASON_MAX],
            note=campaign.label,
        )
        moderation_record(
            item=campaign, action="campaign_split", actor=actor, note=comment.reference
        )
    comment.campaign = None
    comment.campaign_excluded = True
    return comment


@_clears_public_pages
def campaign_merge(*, campaign: Campaign, into: Campaign, actor) -> Campaign:
    """Merge `campaign` into `into`: its members join, and both campaigns' members are
    pinned there, so regrouping keeps them together."""
    if campaign.pk == into.pk or campaign.consultation_id != into.consultation_id:
        raise ValidationError(
            _("Please choose another campaign of the same consultation to merge with."),
            code="bad_target",
        )
    _check_manage(actor, campaign)
    _check_manage(actor, into)
    with transaction.atomic():
        Comment.objects.filter(campaign=campaign).update(campaign=into)
        Comment.objects.filter(campaign=into).update(campaign_pinned=True)
        # The merged group's index keys now lead to the campaign it joined.
        keys = list(
            CampaignBucket.objects.filter(key_comment_id=campaign.key_comment_id).values_list(
                "bucket", flat=True
            )
        )
        placement.file_buckets(into.consultation_id, into.key_comment_id, keys)
        CampaignBucket.objects.filter(key_comment_id=campaign.key_comment_id).delete()
        Campaign.objects.filter(pk=campaign.pk).update(merged_into=into, size=0)
        into.size = Comment.objects.filter(campaign=into).count()
        members = Comment.objects.filter(campaign=into)
        dates = [m.submitted_at for m in members.only("submitted_at")]
        into.first_at, into.last_at = min(dates), max(dates)
        into.save(update_fields=["size", "first_at", "last_at"])
        placement.refresh_common_text(into)
        _additions_for_all(into)
        moderation_record(item=into, action="campaign_merge", actor=actor, note=campaign.label)
        moderation_record(item=campaign, action="campaign_merge", actor=actor, note=into.label)
    return into


def _additions_for_all(campaign: Campaign) -> None:
    from . import text

    for member in Comment.objects.filter(campaign=campaign).only("pk", "body"):
        added = text.addition(text.plain(member.body), campaign.common_text)
        Comment.objects.filter(pk=member.pk).update(
            campaign_added_text=added.text, campaign_substantive=added.substantive
        )


@_clears_public_pages
def campaign_dismiss(*, campaign: Campaign, actor, reason: str = "") -> Campaign:
    """ "Not a campaign": the members become individual comments and stay so."""
    _check_manage(actor, campaign)
    with transaction.atomic():
        Comment.objects.filter(campaign=campaign).update(
            campaign=None,
            campaign_excluded=True,
            campaign_pinned=False,
            campaign_added_text="",
            campaign_substantive=False,
        )
        Campaign.objects.filter(pk=campaign.pk).update(dismissed=True, size=0)
        campaign.dismissed = True
        moderation_record(
            item=campaign,
            action="campaign_dismiss",
            actor=actor,
            reason=(reason or "")[:REASON_MAX],
        )
    return campaign
