"""Placing one new comment: joins a campaign, starts one with an earlier comment, or stays
individual. Runs after the submitting transaction commits (services.comment_submit).

Cost per comment: shingles and a MinHash of its own text, one indexed look-up of its band
keys, the reference texts of at most CANDIDATES groups, a few writes; when the campaign's
common text is rebuilt (at sizes up to 16, then 32, 64, 128), one more look-up and at most
CANDIDATES lone comments (`_adopt_loners`). Nothing reads the consultation's other comments
one by one, so the cost does not grow with their number.
"""

import logging
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from core.page_cache import invalidate

from ..models import Campaign, CampaignBucket, Comment
from ..models.pages import consultation_tag
from . import text
from .signature import bucket_keys, signature

logger = logging.getLogger(__name__)

CANDIDATES = 12
# The common text is rebuilt from the members while a campaign is small, then at each
# doubling up to SAMPLE: a form letter is settled after a few dozen copies, and a bounded
# rebuild keeps the cost of one placement flat.
SAMPLE = 128
# A campaign's later members only file their band keys while it is below this size: the
# group stays findable through its first members and its common text, and the index grows
# with the number of groups, not of copies.
INDEXED_MEMBERS = 64


def recompute_due(size: int) -> bool:
    return size <= 16 or size in (32, 64, 128)


def reference_hashes(common: str, fallback: str):
    """What a candidate is compared with: the campaign's common text, or its first member's
    text while the members share too little for a common text."""
    hashes = text.shingle_hashes(common) if common else None
    if fallback and (hashes is None or len(hashes) < text.SHINGLE):
        return text.shingle_hashes(fallback)
    if fallback:
        # Copies that share little but a greeting and a signature (two different halves of a
        # letter): their first member stands for them better.
        first = text.shingle_hashes(fallback)
        if len(hashes) < len(first) / 2:
            return first
    return hashes


def file_buckets(consultation_id: int, key_comment_id: int, keys: list[int]) -> None:
    CampaignBucket.objects.bulk_create(
        [
            CampaignBucket(consultation_id=consultation_id, bucket=k, key_comment_id=key_comment_id)
            for k in keys
        ],
        ignore_conflicts=True,
    )


def place_comment(comment_pk: int) -> Campaign | None:
    """Group one stored comment (see the module docstring). Idempotent: a comment already
    placed, split out by an officer or in a campaign an officer decided on is left alone."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                _relaxed_commit()
                return _place(comment_pk)
        except IntegrityError:
            # Another worker started the same campaign or took the same number: read again.
            logger.info("campaign placement of comment %s retried", comment_pk)
    return None


def _relaxed_commit() -> None:
    # The grouping is derived data: if the server crashed in the instant after this commit,
    # `manage.py consultations_campaigns` places the comment again. Not waiting for the
    # disk here halves the time of a placement on PostgreSQL.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _place(comment_pk: int) -> Campaign | None:
    comment = (
        Comment.objects.select_for_update()
        .only(
            "pk",
            "consultation_id",
            "body",
            "submitted_at",
            "campaign_id",
            "campaign_pinned",
            "campaign_excluded",
            "disposition",
        )
        .filter(pk=comment_pk)
        .first()
    )
    if comment is None or comment.campaign_id or comment.campaign_excluded:
        return None
    own_text = text.plain(comment.body)
    hashes = text.shingle_hashes(own_text)
    if not len(hashes):
        return None  # no word at all: nothing to compare
    keys = bucket_keys(signature(hashes))
    hits = Counter(
        CampaignBucket.objects.filter(consultation_id=comment.consultation_id, bucket__in=keys)
        .exclude(key_comment_id=comment.pk)
        .values_list("key_comment_id", flat=True)
    )
    best = _best_group(comment, hashes, [k for k, _n in hits.most_common(CANDIDATES)])
    if best is None:
        file_buckets(comment.consultation_id, comment.pk, keys)
        return None
    campaign = best if isinstance(best, Campaign) else _start_campaign(best)
    _join(campaign, comment, own_text, keys)
    # The public page shows the campaign once, with "and N others": no stale cached copy.
    invalidate(consultation_tag(comment.consultation_id))
    return campaign


def _best_group(comment, hashes, candidate_keys):
    if not candidate_keys:
        return None
    campaigns = {
        c.key_comment_id: c
        for c in Campaign.objects.filter(key_comment_id__in=candidate_keys).select_related(
            "merged_into"
        )
    }
    loners = {
        c.pk: c
        for c in Comment.objects.filter(
            pk__in=[k for k in candidate_keys if k not in campaigns],
            campaign__isnull=True,
            campaign_excluded=False,
        ).only("pk", "consultation_id", "body", "submitted_at", "sequence")
    }
    # A copy that passes a campaign joins it, even when a lone comment is closer to it: a
    # shortened copy is closer to another shortened copy than to the whole letter, and
    # starting a second campaign with it split the letter's copies in two.
    best, best_score = None, (False, 0.0)
    for key in candidate_keys:
        if key in campaigns:
            group = campaigns[key]
            if group.merged_into_id:
                group = group.merged_into
            if not group.active:
                continue
            reference = reference_hashes(group.common_text, "")
            if not len(reference):
                key_body = Comment.objects.filter(pk=group.key_comment_id).values_list(
                    "body", flat=True
                )
                reference = text.shingle_hashes(text.plain(next(iter(key_body), "")))
        elif key in loners:
            group = loners[key]
            reference = text.shingle_hashes(text.plain(group.body))
        else:
            continue
        short, long = text.covers(hashes, reference)
        score = (isinstance(group, Campaign), short + long)
        if short >= text.MIN_COVER_SHORT and long >= text.MIN_COVER_LONG and score > best_score:
            best, best_score = group, score
    return best


def _start_campaign(first: Comment) -> Campaign:
    number = (
        Campaign.objects.filter(consultation_id=first.consultation_id).aggregate(n=Max("number"))[
            "n"
        ]
        or 0
    ) + 1
    with transaction.atomic():
        campaign = Campaign.objects.create(
            consultation_id=first.consultation_id,
            number=number,
            key_comment=first,
            common_text=text.plain(first.body),
            size=1,
            first_at=first.submitted_at,
            last_at=first.submitted_at,
        )
        Comment.objects.filter(pk=first.pk).update(campaign=campaign)
    return campaign


def _join(campaign: Campaign, comment: Comment, own_text: str, keys: list[int]) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(size=F("size") + 1, last_at=comment.submitted_at)
    campaign.size += 1
    fields = {"campaign": campaign}
    if campaign.disposition and not comment.disposition:
        # Answered once for every member: a copy that arrives later carries the answer too.
        fields.update(
            disposition=campaign.disposition,
            response=campaign.response,
            responded_by=campaign.responded_by_id,
            responded_at=campaign.responded_at,
        )
    due = recompute_due(campaign.size)
    if not due:
        added = text.addition(own_text, campaign.common_text)
        fields.update(campaign_added_text=added.text, campaign_substantive=added.substantive)
    Comment.objects.filter(pk=comment.pk).update(**fields)
    if due:
        refresh_common_text(campaign)
        _adopt_loners(campaign)
    if campaign.size <= INDEXED_MEMBERS:
        file_buckets(campaign.consultation_id, campaign.key_comment_id, keys)


def refresh_common_text(campaign: Campaign) -> None:
    """Rebuild the common text from (at most SAMPLE of) the members, then what each of those
    members adds to it."""
    members = list(
        Comment.objects.filter(campaign=campaign).order_by("sequence").only("pk", "body")[:SAMPLE]
    )
    texts = [text.plain(m.body) for m in members]
    common = text.common_text(texts)
    if text.weight(common) < 3 and texts:
        common = texts[0]
    campaign.common_text = common
    Campaign.objects.filter(pk=campaign.pk).update(common_text=common)
    for member, member_text in zip(members, texts, strict=True):
        added = text.addition(member_text, common)
        Comment.objects.filter(pk=member.pk).update(
            campaign_added_text=added.text, campaign_substantive=added.substantive
        )
    _index_common_text(campaign)


def _adopt_loners(campaign: Campaign) -> None:
    """Lone comments that are copies of the campaign's new common text join it. A shortened
    copy that arrived while the campaign's text was still one long copy with a paragraph
    added covered too little of it and stayed alone; the regrouping looks again at the end
    (regroup._late_joiners), placement looks each time the common text is rebuilt. Bounded:
    one look-up of the common text's band keys and at most CANDIDATES comments, at the
    sizes where the text is rebuilt only."""
    hashes = text.shingle_hashes(campaign.common_text)
    if not len(hashes):
        return
    keys = bucket_keys(signature(hashes))
    hits = Counter(
        CampaignBucket.objects.filter(consultation_id=campaign.consultation_id, bucket__in=keys)
        .exclude(key_comment_id=campaign.key_comment_id)
        .values_list("key_comment_id", flat=True)
    )
    loners = Comment.objects.filter(
        pk__in=[k for k, _n in hits.most_common(CANDIDATES)],
        campaign__isnull=True,
        campaign_excluded=False,
    ).only("pk", "body", "submitted_at", "disposition")
    memo: dict = {}
    for loner in loners:
        own = text.plain(loner.body)
        if not text.is_copy(text.shingle_hashes(own), hashes):
            continue
        added = text.addition(own, campaign.common_text, memo)
        fields = {
            "campaign": campaign,
            "campaign_added_text": added.text,
            "campaign_substantive": added.substantive,
        }
        if campaign.disposition and not loner.disposition:
            fields.update(
                disposition=campaign.disposition,
                response=campaign.response,
                responded_by=campaign.responded_by_id,
                responded_at=campaign.responded_at,
            )
        # Only if still alone: another worker may have placed it meanwhile.
        if Comment.objects.filter(pk=loner.pk, campaign__isnull=True).update(**fields):
            Campaign.objects.filter(pk=campaign.pk).update(size=F("size") + 1)
            campaign.size += 1
            if campaign.first_at is None or loner.submitted_at < campaign.first_at:
                Campaign.objects.filter(pk=campaign.pk).update(first_at=loner.submitted_at)
                campaign.first_at = loner.submitted_at


def _index_common_text(campaign: Campaign) -> None:
    hashes = text.shingle_hashes(campaign.common_text)
    if len(hashes):
        file_buckets(
            campaign.consultation_id, campaign.key_comment_id, bucket_keys(signature(hashes))
        )
