"""The leak matrix's world: one distinct canary string planted in every protected state, each
created the way the site creates it (the forums' and consultations' service functions), and
what the live sockets received while it was planted.

A canary is "CANARY-<STATE>-<4 hex>": unique, ASCII, never changed by escaping, and no canary
is a substring of another, so finding one names exactly one protected state.
"""

import io
import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from channels.db import database_sync_to_async
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from accounts.roles import Role
from consultations import services as consultation_services
from core.demo import home_load, read_fixture
from core.live import hub
from core.moderation import ModerationLog
from forums import services
from forums.models import ModerationMode
from tests.consultations.factories import commenter, make_consultation, officer, pdf_bytes, submit
from tests.forums.factories import (
    make_forum,
    make_group,
    make_moderator,
    make_participant,
    register,
)

from . import sockets

STATES = {
    # forums
    "pending_post": "a reply awaiting approval in a pre-moderated group",
    "rejected_post": "a reply a moderator rejected",
    "hidden_post": "a published reply a moderator then hid (personal data)",
    "preedit_text": "the text a moderator removed when editing a post before approving it",
    "mod_note": "the moderator's note on that edit (for the author and the moderators)",
    "quoted_hidden": "words of a later-hidden post, quoted in another reader's reply",
    "pending_thread_title": "the title of a thread awaiting approval",
    "pending_thread_body": "the opening post of a thread awaiting approval",
    "pending_thread_reply": "an approved reply inside a thread still awaiting approval",
    "live_mod_event": "a pending post sent live to moderators after some lost the role",
    # consultations
    "pending_comment": "a comment awaiting an officer's decision",
    "hidden_comment": "a published comment an officer then hid",
    "confidential_comment": "a comment under confidential treatment (Art. 21), and its PDF",
    "confidential_justification": "the reason given for confidential treatment",
    "shy_name": "the display name of a commenter who did not consent to show it",
    "draft_response": "an officer's response before the outcome is published (Art. 23.2)",
    "unpublished_comment": "a comment (and PDF) on a consultation page since unpublished",
    "private_password_comment": "a comment (and PDF) on a password-protected page",
    "private_password_title": "the title of a password-protected consultation page",
    "private_group_comment": "a comment (and PDF) on a page restricted to a group",
    "private_group_title": "the title of a page restricted to a group",
    "unpublished_document": "a document shown only on a consultation page since unpublished",
    "private_document": "a document shown only on a password-protected consultation page",
    "campaign_withheld_copy": (
        "a sentence only copies not to be published (privacy request) add to a public form "
        "letter: in their addition and in the campaign's common text (issue 15)"
    ),
    "summary_draft": (
        "a statement of the summary of comments received before the outcome is published "
        "(Art. 23.2; issue 15)"
    ),
    "summary_hidden_source": (
        "a published summary statement whose only source an officer hid after the outcome: "
        "its words came from what is now hidden"
    ),
}
_hex = (f"{n:04x}" for n in itertools.count(0x7F3A, 0x101))
CANARIES = {state: f"CANARY-{state.upper().replace('_', '-')}-{next(_hex)}" for state in STATES}
C = type("Canaries", (), CANARIES)  # C.hidden_post, …

# Who reads. "author" wrote the planted forum posts (forums) or comments (consultations).
HTTP_ROLES = ("anonymous", "participant", "author", "other_mod", "moderator", "officer")
# Moderators of the group whose socket was open when they lost the right to moderators' events.
SOCKET_ROLES = ("demoted", "logged_out", "deactivated")
GROUP_PASSWORD = "open-sesame"  # noqa: S105 - the shared password of a test page


def found(state: str, text: str) -> bool:
    return CANARIES[state].lower() in text.lower()


def pdf_with(canary: str) -> SimpleUploadedFile:
    """A valid PDF that carries the canary as a trailing comment (readers ignore it)."""
    content = pdf_bytes() + f"% {canary}\n".encode()
    return SimpleUploadedFile("evidence.pdf", content, content_type="application/pdf")


@dataclass
class World:
    users: dict  # role → user; "author" is the forum author, "commenter" the consultations'
    forum: object = None
    group: object = None  # the group the canaries are planted in
    other_group: object = None
    threads: list = field(default_factory=list)
    posts: dict = field(default_factory=dict)  # state → post
    pages: dict = field(default_factory=dict)  # name → consultation page
    comments: dict = field(default_factory=dict)  # state → comment
    documents: dict = field(default_factory=dict)  # state → Wagtail document
    live: dict = field(default_factory=dict)  # role → what the open socket received
    catch_up: dict = field(default_factory=dict)  # role → what catch_up after 0 replayed
    mail: list = field(default_factory=list)  # (recipients, text) of every e-mail sent
    log_ids: list = field(default_factory=list)  # ModerationLog rows
    sessions: dict = field(default_factory=dict)  # role → session key of its sockets

    def users_for(self, role: str, app: str) -> list:
        """Who to fetch a channel as: nobody (anonymous), or the role's account; the author of
        forum content in the forums, of comments in consultations, both elsewhere."""
        if role == "anonymous":
            return [None]
        if role == "author":
            return {
                "forums": [self.users["author"]],
                "consultations": [self.users["commenter"]],
            }.get(app, [self.users["author"], self.users["commenter"]])
        return [self.users[role]]


def _users(forum, group, other_group) -> dict:
    def participant(name, **profile):
        return make_participant(forum, email=f"{name}@leak.example.org", **profile)

    users = {
        "participant": participant("participant", display_name="Pat Participant"),
        "author": participant("author", display_name="Ann Author", show_name_publicly=True),
        "quoter": participant("quoter", display_name="Quinn Quoter"),
        "other_mod": make_moderator(other_group, email="othermod@leak.example.org"),
        "moderator": make_moderator(group, email="moderator@leak.example.org"),
        "officer": officer(email="officer@leak.example.org", display_name="Olga Officer"),
        # Did not consent to show their name: the public sees "category · country".
        "commenter": commenter(email="commenter@leak.example.org", display_name=C.shy_name),
    }
    for role in SOCKET_ROLES:
        users[role] = make_moderator(group, email=f"{role}@leak.example.org")
    for role in ("other_mod", "moderator", "officer"):
        register(forum, users[role])
    for role in ("participant", "author", "other_mod", "moderator", "officer"):
        services.notification_settings_update(
            user=users[role], replies=True, moderation=True, digest=True
        )
    return users


def _plant_before_sockets(w: World) -> None:
    """States whose text was public (or the author's) when its events were sent: they are
    planted before the live sockets open, so the live stream is judged on what it receives
    now and the catch-up on what it replays of the past."""
    u, mod = w.users, w.users["moderator"]
    opening = services.thread_create(
        group=w.group, author=mod, title="Access to information (Art. 23)", body="Welcome."
    )
    w.threads.append(opening)

    hidden = services.post_create(
        thread=opening, author=u["author"], body=f"Call me on {C.hidden_post} tonight."
    )
    services.post_approve(post=hidden, actor=mod)
    services.post_hide(post=hidden, actor=mod, reason_code="personal_data", reason="A number.")
    w.posts["hidden_post"] = hidden

    quoted = services.post_create(
        thread=opening, author=u["author"], body=f"The permit is {C.quoted_hidden} in my file."
    )
    services.post_approve(post=quoted, actor=mod)
    reply = services.post_create(
        thread=opening,
        author=u["quoter"],
        body="That permit was never valid.",
        reply_to=quoted,
        quote=f"The permit is {C.quoted_hidden}",
    )
    services.post_approve(post=reply, actor=mod)
    services.post_hide(post=quoted, actor=mod, reason_code="personal_data", reason="A permit.")
    w.posts["quoted_hidden"] = quoted
    w.posts["quoting_reply"] = reply

    edited = services.post_create(
        thread=opening, author=u["author"], body=f"My address is {C.preedit_text}; visit."
    )
    services.post_approve(
        post=edited,
        actor=mod,
        body="My address is removed; visit.",
        note=f"Removed an address ({C.mod_note}).",
    )
    w.posts["preedit_text"] = w.posts["mod_note"] = edited


def _plant_while_live(w: World) -> None:
    u, mod = w.users, w.users["moderator"]
    opening = w.threads[0]
    w.posts["pending_post"] = services.post_create(
        thread=opening, author=u["author"], body=f"Awaiting approval: {C.pending_post}."
    )
    rejected = services.post_create(
        thread=opening, author=u["author"], body=f"Buy seeds at {C.rejected_post} now."
    )
    services.post_reject(post=rejected, actor=mod, reason_code="spam", reason="Advertising.")
    w.posts["rejected_post"] = rejected

    waiting = services.thread_create(
        group=w.group,
        author=u["author"],
        title=f"Field trial {C.pending_thread_title}",
        body=f"Opening words: {C.pending_thread_body}.",
    )
    w.threads.append(waiting)
    w.posts["pending_thread_body"] = waiting.posts.get(is_opening=True)
    inside = services.post_create(
        thread=waiting, author=u["author"], body=f"And more: {C.pending_thread_reply}."
    )
    services.post_approve(post=inside, actor=mod)  # approved, but its thread is not
    w.posts["pending_thread_reply"] = inside


def _take_roles_away(w: World) -> None:
    """The three ways a moderator's open socket loses the right to moderators' events."""
    w.group.moderators.remove(w.users["demoted"])  # as the group's admin form does
    client = Client()
    client.cookies["sessionid"] = w.sessions["logged_out"]
    client.logout()  # that session signs out
    deactivated = w.users["deactivated"]
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])


def _plant_after_demotion(w: World) -> None:
    w.posts["live_mod_event"] = services.post_create(
        thread=w.threads[0], author=w.users["author"], body=f"Sent live: {C.live_mod_event}."
    )


async def _live_phase(w: World) -> None:
    db = database_sync_to_async
    path = f"/ws/forums/groups/{w.group.pk}/"
    live = {}
    for role in (*HTTP_ROLES, *SOCKET_ROLES):
        session = w.sessions.get(role)
        socket, accepted, code = await sockets.connect(path, session)
        assert accepted, f"{role}'s live socket was refused ({code})"
        live[role] = socket
    frames = {role: [] for role in live}

    async def collect():
        for role, socket in live.items():
            frames[role] += await sockets.drain(socket, quiet=0.2)

    await db(sockets.with_events)(_plant_while_live, w)
    await collect()
    # The role changes commit (their control messages go out on commit), and the sockets
    # have a moment to re-check themselves, as they would between two real requests.
    await db(sockets.with_events)(_take_roles_away, w)
    await collect()
    await db(sockets.with_events)(_plant_after_demotion, w)
    await collect()
    w.live = {role: sockets.frames_text(received) for role, received in frames.items()}
    for socket in live.values():
        await sockets.close(socket)

    for role in HTTP_ROLES:  # reconnecting now: what does the log replay?
        socket, accepted, code = await sockets.connect(path, w.sessions.get(role))
        assert accepted, f"{role}'s catch-up socket was refused ({code})"
        w.catch_up[role] = sockets.frames_text(await sockets.catch_up(socket, after=0))
        await sockets.close(socket)
    await hub.close()


def _plant_consultations(w: World) -> None:
    u, off = w.users, w.users["officer"]
    author = u["commenter"]
    home = home_load(read_fixture("site.json")["home"])

    page = make_consultation(home, state="open", moderation_mode="pre", reference_code="LKOPEN")
    w.pages["open"] = page
    w.comments["pending_comment"] = submit(page, author, body=f"<p>{C.pending_comment}</p>")
    hidden = submit(page, author, body=f"<p>{C.hidden_comment}</p>")
    consultation_services.comment_moderate(comment=hidden, actor=off, to_status="published")
    consultation_services.comment_moderate(
        comment=hidden, actor=off, to_status="hidden", reason_code="personal_data"
    )
    w.comments["hidden_comment"] = hidden
    confidential = submit(
        page,
        author,
        body=f"<p>{C.confidential_comment}</p>",
        confidential=True,
        confidential_justification=f"Trade secret: {C.confidential_justification}",
        attachment=pdf_with(C.confidential_comment),
    )
    w.comments["confidential_comment"] = w.comments["confidential_justification"] = confidential
    # Published, name not shown; answered by an officer before any outcome.
    named = submit(page, author, body="<p>I support the conditions.</p>", show_name=False)
    consultation_services.comment_moderate(comment=named, actor=off, to_status="published")
    consultation_services.comment_respond(
        comment=named, actor=off, disposition="accepted", response=f"Draft: {C.draft_response}"
    )
    w.comments["shy_name"] = w.comments["draft_response"] = named

    w.comments["campaign_withheld_copy"] = _plant_campaign(page, u, off)
    _plant_summaries(w, home, page, named, author, off)

    for state in ("unpublished_document", "private_document"):
        w.documents[state] = Document.objects.create(
            title=f"Annex {state}",
            file=ContentFile(f"Annex text: {CANARIES[state]}\n".encode(), name=f"{state}.txt"),
        )

    def shown(state):
        return [("document", {"document": w.documents[state], "description": "Annex"})]

    gone = make_consultation(
        home,
        state="open",
        moderation_mode="post",
        reference_code="LKGONE",
        documents=shown("unpublished_document"),
    )
    w.comments["unpublished_comment"] = submit(
        gone,
        author,
        body=f"<p>{C.unpublished_comment}</p>",
        attachment=pdf_with(C.unpublished_comment),
    )
    gone.unpublish()
    w.pages["unpublished"] = gone

    officers_group = Group.objects.get(name=Role.CONSULTATION_OFFICERS)
    for name, kind in (("password", "password"), ("group", "groups")):
        private = make_consultation(
            home,
            state="open",
            moderation_mode="post",
            reference_code=f"LK{name.upper()}",
            title=f"Private draft {CANARIES[f'private_{name}_title']}",
            documents=shown("private_document") if kind == "password" else [],
        )
        # Commented while public, made private afterwards (the service refuses comments on a
        # page that is private to the commenter).
        state = f"private_{name}_comment"
        w.comments[state] = submit(
            private,
            author,
            body=f"<p>{CANARIES[state]}</p>",
            attachment=pdf_with(CANARIES[state]),
        )
        password = GROUP_PASSWORD if kind == "password" else ""
        restriction = PageViewRestriction.objects.create(
            page=private, restriction_type=kind, password=password
        )
        if kind == "groups":
            restriction.groups.set([officers_group])
        w.pages[name] = private


def _follow_everything(w: World) -> None:
    """Every signed-in reader follows every consultation page (and every decision type, the
    forum and each of its rounds) since long before it opened, as if they had followed while
    it was public: the follow mails (follows app) must still never name a page the public
    cannot see."""
    from consultations.models import DecisionType
    from follows.models import Follow, FollowKind

    long_ago = timezone.now() - timedelta(days=365)
    for role in HTTP_ROLES[1:]:
        user = w.users[role]
        for page in w.pages.values():
            Follow.objects.get_or_create(
                user=user, kind=FollowKind.CONSULTATION, target=str(page.translation_key)
            )
        for value in DecisionType.values:
            Follow.objects.get_or_create(user=user, kind=FollowKind.DECISION_TYPE, target=value)
        # The forum's rounds (both open, followed before they opened): their mails name the
        # round and the forum, never a post, a pending thread or a moderator's note.
        Follow.objects.get_or_create(user=user, kind=FollowKind.FORUM, target=str(w.forum.pk))
        for group in (w.group, w.other_group):
            Follow.objects.get_or_create(user=user, kind=FollowKind.ROUND, target=str(group.pk))
    Follow.objects.update(created_at=long_ago)


CAMPAIGN_LETTER = (
    "I am writing to oppose the approval of this maize for food, feed and processing. "
    "The risk assessment does not consider the long-term effects on soil organisms. "
    "Independent studies on the Cry proteins were not taken into account. "
    "Please reject the application until these questions are answered."
)


def _plant_campaign(page, u, off):
    """A campaign of four copies: two published, two withheld at their author's request that
    share a sentence holding the canary (so the common text, rebuilt from all four, holds it
    too). Placed as a real submission places them, after commit."""
    from consultations.campaigns.placement import place_comment

    copies = []
    for n, author in enumerate((u["participant"], u["moderator"])):
        copy = submit(
            page, author, body=f"<p>Dear officers,</p><p>{CAMPAIGN_LETTER}</p><p>N{n}</p>"
        )
        consultation_services.comment_moderate(comment=copy, actor=off, to_status="published")
        copies.append(copy)
    for n in range(2):
        copies.append(
            submit(
                page,
                u["commenter"],
                body=(
                    f"<p>Hello,</p><p>{CAMPAIGN_LETTER} We also know {C.campaign_withheld_copy} "
                    f"is at stake.</p><p>W{n}</p>"
                ),
                confidential=True,
                confidential_justification="My employer must not know.",
            )
        )
    for copy in copies:
        place_comment(copy.pk)
    return copies[2]


def _plant_summaries(w, home, open_page, published, author, off):
    """The outcome's summary of comments received: a draft statement on the open page, and
    on a consultation whose outcome is published, a statement whose only source was hidden
    afterwards beside one whose source is still public (the public must see that one)."""
    from consultations.models import ConsultationPage, Outcome
    from consultations.services import summaries

    summaries.statement_add(
        consultation=open_page,
        actor=off,
        text=f"Draft summary: {C.summary_draft}",
        references=[published.reference],
    )
    done = make_consultation(home, state="open", moderation_mode="post", reference_code="LKDONE")
    gone = submit(done, author, body="<p>My phone number is in this comment.</p>")
    kept = submit(done, author, body="<p>Label the maize.</p>")
    summaries.statement_add(
        consultation=done,
        actor=off,
        text=f"Quoted: {C.summary_hidden_source}",
        references=[gone.reference],
    )
    summaries.statement_add(
        consultation=done, actor=off, text="SUMMARY-STATEMENT-SHOWN", references=[kept.reference]
    )
    now = timezone.now()
    ConsultationPage.objects.filter(pk=done.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    Outcome.objects.create(
        consultation=done,
        decision="Approved.",
        decision_date=now.date(),
        comments_taken_into_account="See the summary.",
        published_at=now,
    )
    consultation_services.comment_moderate(
        comment=gone, actor=off, to_status="hidden", reason_code="personal_data"
    )
    w.pages["outcome"] = ConsultationPage.objects.get(pk=done.pk)


def build_world() -> World:
    """Plant every canary (inside the caller's transaction), recording the live sockets."""
    forum = make_forum(title="Leak-matrix forum", slug="leak-matrix-forum")
    group = make_group(forum=forum, state="open", mode=ModerationMode.PRE, theme="Canaries")
    other = make_group(forum=forum, state="open", mode=ModerationMode.PRE, theme="Elsewhere")
    w = World(users=_users(forum, group, other), forum=forum, group=group, other_group=other)
    w.sessions = {role: sockets.session_key(w.users[role]) for role in HTTP_ROLES[1:]}
    w.sessions.update({role: sockets.session_key(w.users[role]) for role in SOCKET_ROLES})
    mail.outbox = []
    sockets.with_events(_plant_before_sockets, w)
    sockets.run(_live_phase, w)
    sockets.with_events(_plant_consultations, w)
    sockets.with_events(call_command, "forums_digest", stdout=io.StringIO())
    _follow_everything(w)
    call_command("send_follow_notices", stdout=io.StringIO())
    w.mail = [
        (set(message.to), "\n".join([message.subject, message.body])) for message in mail.outbox
    ]
    worded = ModerationLog.objects.exclude(note="", reason="")  # decisions that carry words
    w.log_ids = list(worded.order_by("pk").values_list("pk", flat=True))
    return w
