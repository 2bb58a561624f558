"""Reads of campaigns: the officers' lists, the public grouping and the statistics line.

Officers see every member. Everything public starts from the public comments the visibility
policy gives (`Comment.objects.visible_to(...).public()`) and groups only those: a campaign
shows publicly only as its public members, and counts only them, so a member withheld at
its author's request, pending, rejected or hidden changes nothing a reader can see.
"""

from django.db.models import Count

from ..models import Campaign, Comment
from . import text


def campaigns_for_officers(page):
    """The consultation's campaigns, largest first, with their members' languages (two
    queries whatever the number of campaigns)."""
    campaigns = list(
        Campaign.objects.filter(
            consultation=page.canonical, dismissed=False, merged_into__isnull=True, size__gte=1
        ).order_by("-size", "number")
    )
    languages: dict[int, list[str]] = {}
    for campaign_id, language in (
        Comment.objects.filter(campaign__in=campaigns)
        .values_list("campaign_id", "language")
        .distinct()
        .order_by("campaign_id", "language")
    ):
        if language:
            languages.setdefault(campaign_id, []).append(language)
    for campaign in campaigns:
        campaign.languages = languages.get(campaign.pk, [])
    return campaigns


def members_with_additions(campaign, members):
    """Each member with its text cut into sentences, the added ones marked (for the
    highlighting on the officers' screen)."""
    for member in members:
        member.segments = text.addition(text.plain(member.body), campaign.common_text).segments
    return members


def group_public(comments: list) -> list:
    """Public comments (already filtered by the policy), each campaign shown once: its first
    public member carries `campaign_others`, the other public members, which are left out
    of the list. A campaign with one public member is shown as an individual comment."""
    by_campaign: dict[int, list] = {}
    for comment in comments:
        if comment.campaign_id:
            by_campaign.setdefault(comment.campaign_id, []).append(comment)
    shown = []
    for comment in comments:
        comment.campaign_others = []
        group = by_campaign.get(comment.campaign_id) if comment.campaign_id else None
        if not group or len(group) < 2:
            shown.append(comment)
        elif group[0] is comment:
            comment.campaign_others = group[1:]
            shown.append(comment)
    return shown


def campaign_counts(queryset) -> dict:
    """ "N comments: M campaigns (K comments) + L individual comments" over the comments the
    caller may count. A campaign with a single comment in `queryset` counts as individual."""
    sizes = [
        n
        for _campaign, n in queryset.exclude(campaign__isnull=True)
        .values_list("campaign")
        .annotate(n=Count("pk"))
        .values_list("campaign", "n")
        if n >= 2
    ]
    total = queryset.count()
    in_campaigns = sum(sizes)
    return {
        "total": total,
        "campaigns": len(sizes),
        "in_campaigns": in_campaigns,
        "individual": total - in_campaigns,
    }


def public_same_text_as(comments) -> dict[int, str]:
    """For a public export: comment pk → the reference of the first public member of its
    campaign (for members other than that first one)."""
    first: dict[int, str] = {}
    result = {}
    for pk, campaign_id, reference in (
        comments.exclude(campaign__isnull=True)
        .order_by("sequence")
        .values_list("pk", "campaign_id", "reference")
    ):
        if campaign_id in first:
            result[pk] = first[campaign_id]
        else:
            first[campaign_id] = reference
    return result


def response_rows(shown: list) -> list:
    """The response-to-comments table from the grouped public comments: a campaign once,
    with the members that received the same answer listed (`same_answer`); a member answered
    individually gets its own row."""
    rows = []
    for comment in shown:
        if not comment.disposition and not comment.campaign_others:
            continue
        same, alone = [], []
        for other in comment.campaign_others:
            if (other.disposition, other.response) == (comment.disposition, comment.response):
                same.append(other)
            elif other.disposition:
                alone.append(other)
        if comment.disposition:
            comment.same_answer = same
            rows.append(comment)
        for other in alone:
            other.same_answer = []
            rows.append(other)
    return rows


def with_same_text_as(public_comments):
    """Annotate a public queryset with `same_text_as`: the reference of the first comment of
    the same queryset (so: public) in the same campaign."""
    from django.db.models import OuterRef, Subquery

    first = (
        public_comments.filter(campaign=OuterRef("campaign"))
        .order_by("sequence")
        .values("reference")[:1]
    )
    return public_comments.annotate(same_text_as=Subquery(first))
