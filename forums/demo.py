"""Demo content of the forums app (fixtures/forums.json), loaded by `manage.py load_demo`.

A forum modelled on the May 2012 CBD–Aarhus online forum on public access to biosafety
information: two groups (one post-moderated, one pre-moderated), both open relative to the
time of the first load so that the demo is live, participants of several stakeholder
categories and countries, posts in English and Chinese, a flag, a hidden and a pending post.
Idempotent: a second run finds everything by its natural key and creates nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.demo import demo_person, read_fixture
from core.moderation import ModerationStatus

from .models import DiscussionGroup, Flag, Forum, Post, Registration, RegistrationStatus, Thread
from .text import body_to_html, guess_language


def _offset(now, spec: dict | None):
    spec = spec or {}
    return now + timedelta(days=spec.get("days", 0), hours=spec.get("hours", 0))


def _register(forum, user, status=RegistrationStatus.APPROVED, when=None):
    profile = getattr(user, "profile", None)
    registration, _created = Registration.objects.get_or_create(
        forum=forum,
        user=user,
        defaults={
            "status": status,
            "country": getattr(profile, "country", "") or "",
            "organisation": getattr(profile, "organisation", ""),
            "stakeholder_category": getattr(profile, "stakeholder_category", ""),
            "created_at": when or timezone.now(),
            "decided_at": None if status == RegistrationStatus.PENDING else when,
        },
    )
    return registration


@transaction.atomic
def demo_load(*, home, users) -> dict:
    data = read_fixture("forums.json")
    now = timezone.now()
    spec = data["forum"]
    forum, _created = Forum.objects.get_or_create(
        slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
    )
    moderators = [users[email] for email in data["moderators"]]
    groups = {}
    for group_spec in data["groups"]:
        fields = {k: v for k, v in group_spec.items() if k not in ("opens", "closes", "number")}
        group, _created = DiscussionGroup.objects.get_or_create(
            forum=forum,
            number=group_spec["number"],
            defaults={
                **fields,
                "opens_at": _offset(now, group_spec["opens"]),
                "closes_at": _offset(now, group_spec["closes"]),
            },
        )
        group.moderators.add(*moderators)
        groups[group.number] = group

    people = {email: user for email, user in users.items()}
    first_open = min(group.opens_at for group in groups.values())
    for participant in data["participants"]:
        user = demo_person(participant)
        people[user.email] = user
        status = participant.get("registration", RegistrationStatus.APPROVED)
        _register(forum, user, status, when=first_open - timedelta(days=3))
    for email in data["registered"]:
        _register(forum, users[email], when=first_open - timedelta(days=2))

    posts_created = 0
    for thread_spec in data["threads"]:
        group = groups[thread_spec["group"]]
        start = _offset(now, thread_spec["at"])
        thread = Thread.objects.filter(group=group, title=thread_spec["title"]).first()
        if thread is None:
            thread = Thread.objects.create(
                group=group,
                title=thread_spec["title"],
                author=people[thread_spec["author"]],
                pinned=thread_spec.get("pinned", False),
                created_at=start,
                published_at=start,
                last_activity_at=start,
            )
        loaded = []
        for index, post_spec in enumerate(thread_spec["posts"]):
            author = people[post_spec["author"]]
            body = body_to_html(post_spec["body"])
            post = Post.objects.filter(thread=thread, author=author, body=body).first()
            if post is None:
                when = _offset(now, post_spec["at"]) if "at" in post_spec else start
                status = post_spec.get("status", ModerationStatus.PUBLISHED)
                reply_to = loaded[post_spec["reply_to"] - 1] if "reply_to" in post_spec else None
                post = Post.objects.create(
                    thread=thread,
                    group=group,
                    author=author,
                    body=body,
                    reply_to=reply_to,
                    quote=post_spec.get("quote", ""),
                    language=guess_language(body),
                    is_opening=index == 0,
                    moderation_status=status,
                    moderation_reason_code=post_spec.get("reason_code", ""),
                    moderation_reason=post_spec.get("reason", ""),
                    moderated_by=moderators[0] if status != ModerationStatus.PUBLISHED else None,
                    moderated_at=when if status != ModerationStatus.PUBLISHED else None,
                    created_at=when,
                )
                posts_created += 1
                if status == ModerationStatus.PUBLISHED and when > thread.last_activity_at:
                    Thread.objects.filter(pk=thread.pk).update(last_activity_at=when)
                    thread.last_activity_at = when
                flag = post_spec.get("flag")
                if flag:
                    Flag.objects.create(
                        post=post,
                        reporter=people[flag["by"]],
                        reason_code=flag["reason_code"],
                        reason=flag["reason"],
                        created_at=when + timedelta(hours=1),
                    )
            loaded.append(post)
    _titles_translate(forum, groups)
    return {"forum": forum, "forum_groups": list(groups.values()), "forum_posts": posts_created}


def _titles_translate(forum, groups: dict) -> None:
    """The forum's title and the groups' themes in the other five languages
    (fixtures/translations.json), where the database does not have them yet."""
    spec = read_fixture("translations.json")["forums"].get(forum.slug)
    if not spec:
        return
    for item, translations in [
        (forum, spec["translations"]),
        *((groups[int(n)], t) for n, t in spec["groups"].items() if int(n) in groups),
    ]:
        # What an editor has since changed in the database wins over the fixture.
        merged = {c: {**t, **item.translations.get(c, {})} for c, t in translations.items()}
        merged = {**item.translations, **merged}
        if merged != item.translations:
            type(item).objects.filter(pk=item.pk).update(translations=merged)
            item.translations = merged
