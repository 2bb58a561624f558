"""Regrouping a consultation from scratch (`manage.py consultations_campaigns --rebuild`).

The same rule as placement (placement.py), run over every comment in the order they
arrived, with the index in memory, then written back in bulk. Officers' decisions stay:
comments an officer placed (a merge, a response given once) keep their campaign, with its
number and response; comments split out or in a campaign marked "not a campaign" stay
individual.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Q

from core.page_cache import invalidate

from ..models import Campaign, CampaignBucket, Comment
from ..models.pages import consultation_tag
from . import text
from .placement import CANDIDATES, INDEXED_MEMBERS, SAMPLE, recompute_due, reference_hashes
from .signature import bucket_keys, signature

CHUNK = 2000


@dataclass
class _Group:
    key: int
    campaign: Campaign | None
    reference: object  # shingle hashes the candidates are compared with
    texts: list = field(default_factory=list)  # the first SAMPLE members' texts
    members: list = field(default_factory=list)  # (pk, submitted_at)
    keys: list = field(default_factory=list)  # a lone comment's band keys


def regroup(consultation, *, progress=None) -> dict:
    """Regroup every comment of `consultation` (the default-language page). `progress` is
    called with (done, total). Returns counts for the report."""
    page = consultation.canonical
    comments = Comment.objects.filter(consultation=page)
    total = comments.count()
    with transaction.atomic():
        kept = {
            c.pk: c
            for c in Campaign.objects.filter(
                consultation=page, members__campaign_pinned=True
            ).distinct()
        }
        # Only the rows that hold a grouping: an UPDATE rewrites every row it matches, even
        # to the same values (a first grouping of 100,000 comments rewrote them all).
        comments.filter(campaign_pinned=False).filter(
            Q(campaign__isnull=False) | ~Q(campaign_added_text="") | Q(campaign_substantive=True)
        ).update(campaign=None, campaign_added_text="", campaign_substantive=False)
        Campaign.objects.filter(consultation=page, dismissed=False).exclude(
            pk__in=list(kept)
        ).delete()
        CampaignBucket.objects.filter(consultation=page).delete()
        groups: dict[int, _Group] = {}
        by_campaign: dict[int, _Group] = {}
        for campaign in kept.values():
            group = _Group(campaign.key_comment_id, campaign, None)
            groups[group.key] = by_campaign[campaign.pk] = group
        index: dict[int, object] = {}  # band key -> group key, or a set of them
        rows = comments.order_by("sequence").values_list(
            "pk", "body", "submitted_at", "campaign_id", "campaign_pinned", "campaign_excluded"
        )
        for done, (pk, body, at, campaign_id, pinned, excluded) in enumerate(
            rows.iterator(chunk_size=CHUNK), start=1
        ):
            if progress and (done % 1000 == 0 or done == total):
                progress(done, total)
            if excluded:
                continue
            own = text.plain(body)
            hashes = text.shingle_hashes(own)
            if pinned and campaign_id in by_campaign:
                group = by_campaign[campaign_id]
            elif not len(hashes):
                continue
            keys = bucket_keys(signature(hashes)) if len(hashes) else []
            if not (pinned and campaign_id in by_campaign):
                group = _best(index, groups, hashes, keys)
            if group is None:
                group = groups[pk] = _Group(pk, None, hashes, [own], [(pk, at)], keys)
                _file(index, keys, pk)
                continue
            group.members.append((pk, at))
            if len(group.texts) < SAMPLE:
                group.texts.append(own)
            if recompute_due(len(group.members)) or group.reference is None:
                common = text.common_text(group.texts)
                group.reference = reference_hashes(common, group.texts[0])
                if len(group.members) <= INDEXED_MEMBERS:
                    _file(index, bucket_keys(signature(group.reference)), group.key)
            if len(group.members) <= INDEXED_MEMBERS:
                _file(index, keys, group.key)
        merged = _consolidate(groups)
        _late_joiners(groups, merged)
        counts = _write(page, groups, index, merged)
        invalidate(consultation_tag(page.pk))  # the public page's campaigns changed
        return counts


def _consolidate(groups) -> dict[int, int]:
    """A group that is a copy of a larger group joins it: early copies that missed each
    other (each met only the other's edits) end in one campaign. Groups an officer decided
    on are never absorbed. Returns {absorbed group's key: the key of the group it joined}.
    Tens of groups: pairwise is cheap."""
    multi = sorted(
        (g for g in groups.values() if len(g.members) >= 2 or g.campaign is not None),
        key=lambda g: -len(g.members),
    )
    merged: dict[int, int] = {}
    for index, small in reversed(list(enumerate(multi))):
        if small.campaign is not None or small.reference is None:
            continue
        for big in multi[:index]:
            if big.key in groups and big.reference is not None and _copies_of(small, big):
                big.members.extend(small.members)
                big.texts.extend(small.texts[: max(0, SAMPLE - len(big.texts))])
                del groups[small.key]
                merged[small.key] = big.key
                break
    for key, into in merged.items():
        while into in merged:  # a group absorbed by one that was absorbed in turn
            into = merged[into]
        merged[key] = into
    return merged


# Members of a small group checked against a larger one's reference text.
MEMBERS_CHECKED = 16


def _copies_of(small: _Group, big: _Group) -> bool:
    """Whether `small` is a copy of `big`: its reference text is, or its first member, or
    most of its members are. The last test finds a group begun by a shortened copy: its
    reference is that copy's half of the letter with its own greeting, which covers a
    little less of the letter than a copy must, while most of its members are copies of the
    letter (at 100,000 comments two of ten campaigns were split that way)."""
    short, _long = text.covers(small.reference, big.reference)
    if short < text.MIN_COVER_LONG:
        return False  # shares less than any copy does: not worth reading the members
    if text.is_copy(small.reference, big.reference) or text.is_copy(
        text.shingle_hashes(small.texts[0]), big.reference
    ):
        return True
    sample = small.texts[:MEMBERS_CHECKED]
    copies = sum(1 for t in sample if text.is_copy(text.shingle_hashes(t), big.reference))
    return copies * 2 > len(sample)


def _late_joiners(groups, merged) -> None:
    """A comment that arrived while its campaign was two or three copies is compared again
    with the campaign's final text: a shortened copy fails against a young campaign whose
    reference is still one long copy with a paragraph added (too little of the longer text
    covered), and would otherwise stay individual for good. Costs one look-up per lone
    comment in an index of the campaigns' texts only."""
    campaigns = [g for g in groups.values() if len(g.members) >= 2 or g.campaign is not None]
    index: dict[int, list] = {}
    for group in campaigns:
        if group.texts:
            group.reference = reference_hashes(text.common_text(group.texts), group.texts[0])
        if group.reference is not None and len(group.reference):
            for key in bucket_keys(signature(group.reference)):
                index.setdefault(key, []).append(group)
    if not index:
        return
    for key, alone in list(groups.items()):
        if len(alone.members) != 1 or alone.campaign is not None or not alone.keys:
            continue
        seen: dict[int, int] = {}
        found = {}
        for band in alone.keys:
            for group in index.get(band, ()):
                seen[group.key] = seen.get(group.key, 0) + 1
                found[group.key] = group
        best, best_score = None, 0.0
        for group_key in sorted(seen, key=seen.get, reverse=True)[:CANDIDATES]:
            group = found[group_key]
            short, long = text.covers(alone.reference, group.reference)
            if (
                short >= text.MIN_COVER_SHORT
                and long >= text.MIN_COVER_LONG
                and short + long > best_score
            ):
                best, best_score = group, short + long
        if best is not None:
            best.members.extend(alone.members)
            if len(best.texts) < SAMPLE:
                best.texts.extend(alone.texts)
            del groups[key]
            merged[key] = best.key


def _file(index, keys, group_key):
    for key in keys:
        there = index.get(key)
        if there is None:
            index[key] = group_key
        elif isinstance(there, set):
            there.add(group_key)
        elif there != group_key:
            index[key] = {there, group_key}


def _best(index, groups, hashes, keys):
    seen: dict[int, int] = {}
    for key in keys:
        there = index.get(key)
        if there is None:
            continue
        for group_key in there if isinstance(there, set) else (there,):
            seen[group_key] = seen.get(group_key, 0) + 1
    best, best_score = None, (False, 0.0)
    for group_key in sorted(seen, key=seen.get, reverse=True)[:CANDIDATES]:
        group = groups[group_key]
        short, long = text.covers(hashes, group.reference)
        # A campaign before a lone comment: see placement._best_group.
        score = (len(group.members) >= 2 or group.campaign is not None, short + long)
        if short >= text.MIN_COVER_SHORT and long >= text.MIN_COVER_LONG and score > best_score:
            best, best_score = group, score
    return best


def _write(page, groups, index, merged) -> dict:
    number = Campaign.objects.filter(consultation=page).aggregate(n=Max("number"))["n"] or 0
    grouped = 0
    updates = []
    for group in groups.values():
        if len(group.members) < 2 and group.campaign is None:
            continue
        members = group.members
        if group.campaign is None:
            number += 1
            group.campaign = Campaign.objects.create(
                consultation=page, number=number, key_comment_id=group.key
            )
        campaign = group.campaign
        common = text.common_text(group.texts)
        if text.weight(common) < 3 and group.texts:
            common = group.texts[0]
        campaign.common_text = common
        campaign.size = len(members)
        campaign.first_at = min(at for _pk, at in members) if members else None
        campaign.last_at = max(at for _pk, at in members) if members else None
        campaign.save(update_fields=["common_text", "size", "first_at", "last_at"])
        grouped += len(members)
        updates.append((campaign, [pk for pk, _at in members]))
    _write_members(updates)
    for campaign, _pks in updates:
        if campaign.disposition:
            Comment.objects.filter(campaign=campaign, disposition="").update(
                disposition=campaign.disposition,
                response=campaign.response,
                responded_by=campaign.responded_by_id,
                responded_at=campaign.responded_at,
            )
    _write_index(page.pk, index, merged)
    return {"campaigns": len(updates), "grouped": grouped}


def _member_rows(updates):
    """(pk, campaign id, added text, substantive) for every member."""
    for campaign, pks in updates:
        memo: dict = {}
        for start in range(0, len(pks), CHUNK):
            for pk, body in Comment.objects.filter(pk__in=pks[start : start + CHUNK]).values_list(
                "pk", "body"
            ):
                added = text.addition(text.plain(body), campaign.common_text, memo)
                yield pk, campaign.pk, added.text, added.substantive


def _write_members(updates) -> None:
    table = Comment._meta.db_table
    if connection.vendor == "postgresql":
        # One COPY and one UPDATE: Django's bulk_update writes a CASE per row and costs
        # seconds per thousand rows here. The rows are read first: a connection in COPY
        # answers no other query.
        rows = list(_member_rows(updates))
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE campaign_members (pk bigint, campaign_id bigint, "
                "added text, substantive boolean) ON COMMIT DROP"
            )
            with cursor.copy(
                "COPY campaign_members (pk, campaign_id, added, substantive) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS c SET campaign_id = m.campaign_id, "  # noqa: S608
                "campaign_added_text = m.added, campaign_substantive = m.substantive "
                "FROM campaign_members AS m WHERE c.id = m.pk"
            )
            # Dropped now, not only at commit: a second regrouping in the same transaction
            # (several consultations in one command, a test) creates it again.
            cursor.execute("DROP TABLE campaign_members")
        return
    batch = []
    for pk, campaign_id, added, substantive in _member_rows(updates):
        batch.append(
            Comment(
                pk=pk,
                campaign_id=campaign_id,
                campaign_added_text=added,
                campaign_substantive=substantive,
            )
        )
        if len(batch) >= CHUNK:
            Comment.objects.bulk_update(
                batch, ["campaign", "campaign_added_text", "campaign_substantive"], batch_size=500
            )
            batch = []
    if batch:
        Comment.objects.bulk_update(
            batch, ["campaign", "campaign_added_text", "campaign_substantive"], batch_size=500
        )


def _write_index(consultation_id: int, index, merged) -> None:
    # An absorbed group's keys now find the group it joined; the same key filed under both
    # is written once (the table is unique on consultation, key, group).
    # Deduplicated key by key, not in one set of every row: that set was 200 MB at
    # 100,000 comments.
    pairs = (
        (key, group_key)
        for key, there in index.items()
        for group_key in (
            {merged.get(g, g) for g in there}
            if isinstance(there, set)
            else (merged.get(there, there),)
        )
    )
    if connection.vendor == "postgresql":
        table = CampaignBucket._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.copy(
                f"COPY {table} (consultation_id, bucket, key_comment_id) FROM STDIN"  # noqa: S608
            ) as copy,
        ):
            for key, group_key in pairs:
                copy.write_row((consultation_id, key, group_key))
        return
    batch = []
    for key, group_key in pairs:
        batch.append(
            CampaignBucket(consultation_id=consultation_id, bucket=key, key_comment_id=group_key)
        )
        if len(batch) >= CHUNK:
            CampaignBucket.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CampaignBucket.objects.bulk_create(batch, ignore_conflicts=True)
