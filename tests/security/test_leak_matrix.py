"""The leak matrix (issue 11): a distinct canary in every protected state, read back through
every channel as every kind of reader. A canary that reaches a reader the policy table says
must not see it fails the cell `<channel>-<state>-<role>`.

Moderation means gone everywhere: a hidden post, a pending thread, a confidential comment
(Art. 21) or a draft response (Art. 23.2: published with the outcome, not before) must never
leave the server through a derived channel — a report, an export, a feed, a socket's replay,
an e-mail — any more than through the page itself.

Adding a channel is one function with one `@channel(...)` line: it returns the text a reader
gets from it, and every state × role cell is checked against the table. Routes that no channel
claims are read by `other_routes`, so a new view is swept the day it is routed.
"""

import io
import itertools
import logging
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.light_client import LightClient

from .canaries import CANARIES, HTTP_ROLES, SOCKET_ROLES, STATES, build_world, found
from .routes import project_routes

ROLES = (*HTTP_ROLES, *SOCKET_ROLES)

# The policy (docs/permissions.md): may this reader see this state's text anywhere?
#   y: may see it (the positive controls below say where it must show);  -: never, anywhere.
# Readers: anon(ymous), part(icipant: registered, not the author), auth(or of the content),
# omod (moderator of another group of the same forum), mod(erator of this group), offi(cer);
# a moderator's socket left open when they were demo(ted), logged out (lout), deac(tivated).
ALIASES = dict(zip("anon part auth omod mod offi demo lout deac".split(), ROLES, strict=True))
POLICY_TABLE = """
state                        anon part auth omod mod  offi demo lout deac
pending_post                 -    -    y    -    y    -    y    y    y
rejected_post                -    -    y    -    y    -    y    y    y
hidden_post                  -    -    y    -    y    -    y    y    y
preedit_text                 -    -    y    -    y    -    y    y    y
mod_note                     -    -    y    -    y    -    y    y    y
quoted_hidden                -    -    y    -    y    -    y    y    y
pending_thread_title         -    -    y    -    y    -    y    y    y
pending_thread_body          -    -    y    -    y    -    y    y    y
pending_thread_reply         -    -    y    -    y    -    y    y    y
live_mod_event               -    -    y    -    y    -    -    -    -
pending_comment              -    -    y    -    -    y    -    -    -
hidden_comment               -    -    y    -    -    y    -    -    -
confidential_comment         -    -    y    -    -    y    -    -    -
confidential_justification   -    -    y    -    -    y    -    -    -
shy_name                     -    -    y    -    -    y    -    -    -
draft_response               -    -    -    -    -    y    -    -    -
unpublished_comment          -    -    y    -    -    y    -    -    -
private_password_comment     -    -    y    -    -    y    -    -    -
private_password_title       -    -    y    -    -    y    -    -    -
private_group_comment        -    -    y    -    -    y    -    -    -
private_group_title          -    -    y    -    -    y    -    -    -
unpublished_document         -    -    -    -    -    y    -    -    -
private_document             -    -    -    -    -    y    -    -    -
campaign_withheld_copy       -    -    y    -    -    y    -    -    -
summary_draft                -    -    -    -    -    y    -    -    -
summary_hidden_source        -    -    -    -    -    y    -    -    -
"""


def _policy(table: str) -> dict[str, dict[str, bool]]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    roles = [ALIASES[alias] for alias in header[1:]]
    assert tuple(roles) == ROLES, header
    return {row[0]: {r: c == "y" for r, c in zip(roles, row[1:], strict=True)} for row in rows}


POLICY = _policy(POLICY_TABLE)

# Where a permitted reader must find the canary: proof that it was planted and that the
# channel works, so that the matrix cannot pass by reading empty pages.
MUST_SEE = [
    ("thread_page", "pending_post", "moderator"),
    ("thread_page", "pending_post", "author"),
    ("thread_page", "rejected_post", "moderator"),
    ("thread_page", "hidden_post", "moderator"),
    ("thread_page", "quoted_hidden", "moderator"),
    ("thread_page", "pending_thread_title", "moderator"),
    ("thread_page", "pending_thread_title", "author"),
    ("thread_page", "pending_thread_body", "moderator"),
    ("thread_page", "pending_thread_reply", "moderator"),
    ("post_history", "preedit_text", "moderator"),
    ("post_history", "mod_note", "moderator"),
    ("mod_queue", "pending_post", "moderator"),
    ("live", "pending_post", "moderator"),
    ("live", "live_mod_event", "moderator"),
    ("live", "live_mod_event", "author"),
    # These sockets did follow the moderators' events before losing the role.
    ("live", "pending_post", "demoted"),
    ("live", "pending_post", "logged_out"),
    ("live", "pending_post", "deactivated"),
    ("catch_up", "pending_post", "moderator"),
    ("catch_up", "pending_post", "author"),
    ("mail", "mod_note", "author"),
    ("mail", "shy_name", "author"),
    ("officer_manage", "pending_comment", "officer"),
    ("officer_manage", "hidden_comment", "officer"),
    ("officer_manage", "confidential_justification", "officer"),
    ("officer_manage", "shy_name", "officer"),
    ("officer_manage", "draft_response", "officer"),
    ("officer_csv", "confidential_comment", "officer"),
    # The campaign screens show the withheld copies' addition and the common text.
    ("officer_campaigns", "campaign_withheld_copy", "officer"),
    ("comment_ref", "campaign_withheld_copy", "author"),
    ("officer_csv", "campaign_withheld_copy", "officer"),
    ("officer_xlsx", "shy_name", "officer"),
    # The officers' synthesis screen shows every statement, with its sources' state.
    ("officer_synthesis", "summary_draft", "officer"),
    ("officer_synthesis", "summary_hidden_source", "officer"),
    ("comment_ref", "pending_comment", "author"),
    ("comment_ref", "unpublished_comment", "officer"),
    ("comment_ref", "private_password_comment", "officer"),
    ("comment_ref", "private_password_title", "officer"),
    ("comment_ref", "private_group_comment", "officer"),
    ("attachment", "confidential_comment", "officer"),
    ("consultation_page", "private_group_title", "officer"),
    ("comment_form_errors", "private_group_title", "officer"),
    ("consultation_page", "private_group_comment", "officer"),
    ("document", "unpublished_document", "officer"),
    ("document", "private_document", "officer"),
]


# --- channels ----------------------------------------------------------------------------


@dataclass
class Channel:
    name: str
    read: object  # (world, reader) -> str
    app: str  # "forums", "consultations" or "site": whose author "author" is
    roles: tuple
    covers: tuple  # URL names it reads, which `other_routes` then leaves alone


CHANNELS: dict[str, Channel] = {}


def channel(name, *, app="site", roles=HTTP_ROLES, covers=()):
    def register(read):
        CHANNELS[name] = Channel(name, read, app, tuple(roles), tuple(covers))
        return read

    return register


@dataclass
class Reader:
    """One reader's HTTP client; remembers what it asked, for the failure message."""

    role: str
    user: object
    asked: list = field(default_factory=list)

    def __post_init__(self):
        self.client = LightClient(raise_request_exception=False)
        if self.user is not None:
            self.client.force_login(self.user)

    def get(self, *urls) -> str:
        return "\n".join(self._get(url) for url in urls)

    def _get(self, url: str) -> str:
        response = self.client.get(url)
        self.asked.append(f"GET {url} → {response.status_code}")
        # Read streamed answers to the end: the client then closes them as a server would
        # (closing them again would close the test's database connection).
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "spreadsheetml" in response.get("Content-Type", ""):
            return _xlsx_text(body)
        return body.decode("utf-8", "replace")

    def post(self, url: str, data: dict) -> str:
        response = self.client.post(url, data)
        self.asked.append(f"POST {url} → {response.status_code}")
        return response.content.decode("utf-8", "replace")


def _xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _posts(w):
    return sorted({p.pk: p for p in w.posts.values()}.values(), key=lambda p: p.pk)


@channel("listings", covers=("forums:index", "forums:forum"))
def listings(w, r):
    index = w.pages["open"].get_parent()
    return r.get("/en/", index.url, reverse("forums:index"), w.forum.get_absolute_url())


@channel("group_page", app="forums", covers=("forums:group",))
def group_page(w, r):
    return r.get(w.group.get_absolute_url(), w.other_group.get_absolute_url())


@channel("thread_page", app="forums", covers=("forums:thread",))
def thread_page(w, r):
    return r.get(*(thread.get_absolute_url() for thread in w.threads))


@channel("quote_prefill", app="forums")
def quote_prefill(w, r):
    """The "Quote" link fills the reply form with the quoted post's words."""
    return r.get(*(f"{p.thread.get_absolute_url()}?reply_to={p.pk}&quote=1" for p in _posts(w)))


@channel("post_history", app="forums", covers=("forums:post_history",))
def post_history(w, r):
    return r.get(*(reverse("forums:post_history", args=[p.pk]) for p in _posts(w)))


@channel("post_flag_form", app="forums", covers=("forums:post_flag",))
def post_flag_form(w, r):
    return r.get(*(reverse("forums:post_flag", args=[p.pk]) for p in _posts(w)))


@channel("post_edit_form", app="forums", covers=("forums:post_edit",))
def post_edit_form(w, r):
    return r.get(*(reverse("forums:post_edit", args=[p.pk]) for p in _posts(w)))


@channel("round_report", app="forums", covers=("forums:report",))
def round_report(w, r):
    return r.get(*(reverse("forums:report", args=[g.pk]) for g in (w.group, w.other_group)))


@channel("forum_statistics", app="forums", covers=("forums:statistics",))
def forum_statistics(w, r):
    return r.get(reverse("forums:statistics", args=[w.forum.slug]))


@channel("forum_csv", app="forums", covers=("forums:posts_csv",))
def forum_csv(w, r):
    return r.get(reverse("forums:posts_csv", args=[w.forum.slug]))


@channel("mod_queue", app="forums", covers=("forums:queue",))
def mod_queue(w, r):
    return r.get(*(reverse("forums:queue", args=[g.pk]) for g in (w.group, w.other_group)))


@channel(
    "admin_moderation_log",
    covers=("moderation_log:index", "moderation_log:inspect", "forums_moderation"),
)
def admin_moderation_log(w, r):
    """The audit log in the Wagtail admin: its list, and each decision that carries words."""
    inspect = (reverse("moderation_log:inspect", args=[pk]) for pk in w.log_ids)
    return r.get(reverse("moderation_log:index"), reverse("forums_moderation"), *inspect)


@channel("consultation_page", app="consultations", covers=("wagtail_serve",))
def consultation_page(w, r):
    return r.get(*(page.url for page in w.pages.values()))


@channel("comment_form_errors", app="consultations", covers=("consultations:comment_create",))
def comment_form_errors(w, r):
    """A comment sent back with an error re-renders its page; the POST finds the page and its
    privacy through the intake cache (consultations.intake). Nothing is stored: it is empty."""
    return "\n".join(
        r.post(
            reverse("consultations:comment_create", args=[page.pk]),
            {"token": str(uuid.uuid4()), "section": "", "body": ""},
        )
        for page in w.pages.values()
    )


@channel("comment_ref", app="consultations", covers=("consultations:comment",))
def comment_ref(w, r):
    return r.get(*(reverse("consultations:comment", args=[c.reference]) for c in _comments(w)))


@channel("attachment", app="consultations", covers=("consultations:attachment",))
def attachment(w, r):
    with_file = [c for c in _comments(w) if c.attachment]
    return r.get(*(reverse("consultations:attachment", args=[c.reference]) for c in with_file))


@channel("document", app="consultations", covers=("wagtaildocs_serve",))
def document(w, r):
    """Wagtail documents shown on the consultation pages (the annexes): they follow the
    pages' privacy (core.documents)."""
    return r.get(*(doc.url for doc in w.documents.values()))


def _export(scope, fmt):
    def read(w, r):
        return r.get(
            *(
                reverse("consultations:export", args=[page.pk, scope, fmt])
                for page in w.pages.values()
            )
        )

    return read


for _scope, _fmt in itertools.product(("public", "all"), ("csv", "xlsx")):
    _name = f"{'public' if _scope == 'public' else 'officer'}_{_fmt}"
    channel(_name, app="consultations", covers=("consultations:export",))(_export(_scope, _fmt))


@channel("feed", app="consultations", covers=("consultations:feed",))
def feed(w, r):
    return r.get(*(reverse("consultations:feed", args=[page.pk]) for page in w.pages.values()))


@channel("consultation_statistics", app="consultations", covers=("consultations:statistics",))
def consultation_statistics(w, r):
    pages = w.pages.values()
    return r.get(*(reverse("consultations:statistics", args=[page.pk]) for page in pages))


@channel(
    "officer_campaigns",
    app="consultations",
    covers=("consultations:campaigns", "consultations:campaign"),
)
def officer_campaigns(w, r):
    from consultations.models import Campaign

    lists = (reverse("consultations:campaigns", args=[page.pk]) for page in w.pages.values())
    details = (reverse("consultations:campaign", args=[c.pk]) for c in Campaign.objects.all())
    return r.get(*lists, *details)


@channel(
    "officer_synthesis",
    app="consultations",
    covers=(
        "consultations:synthesis",
        "consultations:summary_add",
        "consultations:summary_edit",
        "consultations:summary_delete",
    ),
)
def officer_synthesis(w, r):
    """The officers' synthesis and summary screen (the summary's writes are POST only)."""
    return r.get(*(reverse("consultations:synthesis", args=[page.pk]) for page in w.pages.values()))


@channel(
    "officer_manage",
    app="consultations",
    covers=("consultations:manage", "consultations:officer_home"),
)
def officer_manage(w, r):
    manage = (reverse("consultations:manage", args=[page.pk]) for page in w.pages.values())
    return r.get(reverse("consultations:officer_home"), *manage)


@channel("live", app="forums", roles=ROLES)
def live(w, r):
    """What a socket open on the group received while the states were planted."""
    return w.live[r.role]


@channel("catch_up", app="forums")
def catch_up(w, r):
    """`{"type": "catch_up", "after": 0}` on a socket opened afterwards."""
    return w.catch_up[r.role]


@channel("mail", roles=HTTP_ROLES[1:])
def mail(w, r):
    """Every e-mail to this reader: receipts, decisions, replies and the daily digest."""
    return "\n".join(text for to, text in w.mail if r.user.email in to)


def _comments(w):
    return sorted({c.pk: c for c in w.comments.values()}.values(), key=lambda c: c.pk)


def _route_values(w, route) -> dict[str, list]:
    namespace = route.name.split(":")[0]
    pks = {
        "consultations": [c.pk for c in _comments(w)],
        "moderation_log": w.log_ids[:2],
        "forums_forum": [w.forum.pk],
        "forums_group": [w.group.pk],
        "wagtailusers_users": [w.users["commenter"].pk],
    }
    return {
        "group_id": [w.group.pk, w.other_group.pk],
        "thread_id": [t.pk for t in w.threads],
        "post_id": [p.pk for p in _posts(w)],
        "slug": [w.forum.slug],
        "page_id": [page.pk for page in w.pages.values()],
        "reference": [c.reference for c in _comments(w)],
        "pk": pks.get(namespace, []),
    }


def _unclaimed_urls(w) -> list[str]:
    claimed = {name for ch in CHANNELS.values() for name in ch.covers}
    urls = []
    for route in project_routes():
        if route.name in claimed:
            continue
        values = _route_values(w, route)
        # Two of each suffice here: the channels above read every planted object.
        choices = [(p.choices or values.get(p.name, []))[:2] for p in route.params]
        for combination in itertools.product(*choices):
            named = zip(route.params, combination, strict=True)
            urls.append(route.url(**{p.name: v for p, v in named}))
    return urls


@channel("other_routes")
def other_routes(w, r):
    """Every other routed page (the project's, allauth's, our admin screens), with the ids of
    the planted objects: a view added tomorrow is read here without anyone listing it."""
    return r.get(*_unclaimed_urls(w))


# --- the matrix --------------------------------------------------------------------------


@dataclass
class Fetched:
    text: str
    asked: list
    error: str = ""


def _fetch(world, ch: Channel, role: str) -> Fetched:
    texts, asked = [], []
    for user in world.users_for(role, ch.app):
        reader = Reader(role, user)
        try:
            texts.append(ch.read(world, reader))
        except Exception as exc:  # reported by every cell of this channel and role
            return Fetched("", reader.asked, f"{type(exc).__name__}: {exc}")
        asked += reader.asked
    return Fetched("\n".join(texts), asked)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once, and every channel read once as every role; rolled back after."""
    root = tmp_path_factory.mktemp("leak-matrix")
    private = {
        "MEDIA_ROOT": str(root / "media"),
        "CONSULTATIONS_PRIVATE_ROOT": str(root / "private"),
        "FORUMS_POST_RATE": "1000/60",
        "CONSULTATIONS_COMMENT_RATE": "1000/60",
    }
    with django_db_blocker.unblock(), override_settings(**private), transaction.atomic():
        _reset_private_storage()
        world = build_world()
        # Refusals (403, 404, 405) are expected answers here; only errors need the log.
        request_log = logging.getLogger("django.request")
        level, request_log.level = request_log.level, logging.ERROR
        try:
            fetched = {
                (ch.name, role): _fetch(world, ch, role)
                for ch in CHANNELS.values()
                for role in ch.roles
            }
        finally:
            request_log.level = level
        yield world, fetched
        transaction.set_rollback(True)
    _reset_private_storage()


def _reset_private_storage():
    from consultations.models.comments import private_storage

    for name in ("base_location", "location"):
        private_storage.__dict__.pop(name, None)


def _around(state: str, text: str, width: int = 160) -> str:
    at = text.lower().find(CANARIES[state].lower())
    return " ".join(text[max(0, at - width) : at + len(CANARIES[state]) + width].split())


NEVER = [
    pytest.param(ch.name, state, role, id=f"{ch.name}-{state}-{role}")
    for ch in CHANNELS.values()
    for state in STATES
    for role in ch.roles
    if not POLICY[state][role]
]


@pytest.mark.django_db
@pytest.mark.parametrize(("channel_name", "state", "role"), NEVER)
def test_no_canary_reaches_a_reader_the_policy_excludes(matrix, channel_name, state, role):
    _world, fetched = matrix
    result = fetched[(channel_name, role)]
    assert not result.error, f"{channel_name} could not be read as {role}: {result.error}"
    assert not found(state, result.text), (
        f"LEAK: {STATES[state]} reached {role} through {channel_name}: "
        f"…{_around(state, result.text)}…\nrequests: {result.asked[:20]}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel_name", "state", "role"),
    [pytest.param(*cell, id="-".join(cell)) for cell in MUST_SEE],
)
def test_positive_control_the_permitted_reader_sees_the_canary(matrix, channel_name, state, role):
    _world, fetched = matrix
    assert POLICY[state][role], "a positive control must be allowed by the policy"
    result = fetched[(channel_name, role)]
    assert not result.error, f"{channel_name} could not be read as {role}: {result.error}"
    assert found(state, result.text), (
        f"{role} should see {STATES[state]} through {channel_name} (planting or channel broken)"
        f"\nrequests: {result.asked[:20]}"
    )


def test_every_state_has_a_positive_control_and_every_cell_a_policy():
    assert set(POLICY) == set(STATES)
    assert {state for _ch, state, _role in MUST_SEE} == set(STATES)
    assert {ch for ch, _state, _role in MUST_SEE} <= set(CHANNELS)


@pytest.mark.django_db
def test_the_mail_channel_carries_the_forum_round_notices(matrix):
    """The follow mails of the forum's rounds are in the mail channel judged above (else the
    rows for them would pass without a single round mail)."""
    world, fetched = matrix
    for role in HTTP_ROLES[1:]:
        text = fetched[("mail", role)].text
        assert f"/forums/groups/{world.group.pk}/" in text, role
        assert "Canaries" in text and "one click" in text, role


@pytest.mark.django_db
def test_the_published_summary_of_comments_reaches_the_public(matrix):
    """The control for the two summary states: a statement whose source is public is shown on
    the published outcome to everyone, so the hidden one is absent by the policy, not by
    accident."""
    _world, fetched = matrix
    for role in ("anonymous", "participant"):
        assert "SUMMARY-STATEMENT-SHOWN" in fetched[("consultation_page", role)].text
