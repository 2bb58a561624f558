"""The URL sweep (issue 11): every URL pattern the project routes, read from Django's resolver
(routes.py), fetched and posted by every kind of user with garbage in each path parameter, each
query parameter the views read and each field of the forms the site shows. Whatever arrives,
the answer is a refusal in the user's language, never a 500 and never a traceback in the log.

Nothing is listed by hand: a view routed tomorrow, a parameter read tomorrow
(`params_read_by_views`) and a field added to a form tomorrow (read from the pages' HTML) are
swept tomorrow. A representative set of garbage per place keeps it quick, not the cartesian
product of everything.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from tests.light_client import LightClient

from . import sockets
from .forms import Form, forms_in
from .routes import Route, params_read_by_views, project_routes

ROLES = ("anonymous", "participant", "author", "moderator", "officer", "editor", "superuser")
# Garbage, already percent-encoded as it travels in a query string or a form body: invalid
# UTF-8 and a lone surrogate cannot be sent any other way.
HUGE = "x" * 100_000
# Huge values per form body: nine tenths of Django's limit on a body's size, leaving room for
# the names; a body over the limit would only test the limit's own refusal.
HUGE_PER_BODY = settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 9 // 10 // len(HUGE)
GARBAGE = {
    "empty": "",
    "huge": HUGE,
    "nul": "a%00b",
    "bad_utf8": "%FF%FE%C3",
    "surrogate": "%ED%A0%80",
    "wrong_type": quote("abc[]{}"),
    "negative": "-1",
    "huge_id": "99999999999999999999999",
    "html": quote('"><script>alert(1)</script><img src=x onerror=alert(1)>'),
}
# In a path segment (the converters refuse much of it; what they let through reaches views).
PATH_GARBAGE = ("0", "-1", "99999999999999999999999", "abc", "a%00b", "%FF%FE", "%ED%A0%80")
PATH_HUGE = "x" * 5_000
TEXT_AS_DATA = {  # multipart forms: the client encodes these itself
    "empty": "",
    "huge": HUGE,
    "nul": "a\x00b",
    "html": '"><script>alert(1)</script>',
    "negative": "-1",
}


# --- the demo world, loaded once --------------------------------------------------------


@dataclass
class World:
    sessions: dict  # role → session key (None for anonymous)
    values: dict  # path parameter → a real value
    pks: dict  # URL namespace → a real pk
    forms: dict = field(default_factory=dict)  # route name → the forms posting to it


def _real_values(loaded) -> tuple[dict, dict]:
    from wagtail.documents.models import Document

    from consultations.models import Comment, ConsultationPage
    from core.moderation import ModerationLog
    from courses.models import Certificate, Cohort
    from forums.models import DiscussionGroup, Forum, Post

    post = Post.objects.filter(thread__group__isnull=False).order_by("pk").first()
    comment = Comment.objects.order_by("pk").first()
    page = ConsultationPage.objects.live().order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()
    cohort = Cohort.objects.order_by("pk").first()
    document = Document.objects.order_by("pk").first()
    users = {u.email.split("@")[0]: u for u in loaded["users"]}
    values = {
        "group_id": post.thread.group_id,
        "thread_id": post.thread_id,
        "post_id": post.pk,
        "slug": Forum.objects.order_by("pk").first().slug,
        "page_id": page.pk,
        "reference": comment.reference,
        "code": certificate.code if certificate else "ABCD-EFGH",
        "key": "Mg:1tPZ2k:abc",
        "uidb36": "2",
        "restriction_id": 1,
        "page_view_restriction_id": 1,
        "arg0": document.pk if document else 1,
        "arg1": document.filename if document else "file.pdf",
        "path": "images/nothing.png",
        "arg2": page.url_path.split("/", 2)[2],  # the page's path under the site root
    }
    pks = {
        "consultations": comment.pk,
        "courses": cohort.pk if cohort else 1,
        "moderation_log": ModerationLog.objects.order_by("pk").values_list("pk", flat=True)[0],
        "course_certificates": certificate.pk if certificate else 1,
        "course_cohorts": cohort.pk if cohort else 1,
        "forums_forum": Forum.objects.order_by("pk").first().pk,
        "forums_group": DiscussionGroup.objects.order_by("pk").first().pk,
        "wagtailusers_users": users["participant"].pk,
    }
    return values, pks


def _role_users(loaded) -> dict:
    from consultations.models import Comment
    from forums.models import Post

    users = {u.email.split("@")[0]: u for u in loaded["users"]}
    staff = {u.pk for u in loaded["users"]}
    # The author of forum posts (and, when the demo has one, of comments) who holds no role.
    post = Post.objects.exclude(author__in=staff).order_by("pk").first()
    comment = Comment.objects.exclude(author__in=staff).order_by("pk").first()
    author = post.author if post else comment.author
    return {
        "anonymous": None,
        "participant": users["participant"],
        "author": author,
        "moderator": users["moderator"],
        "officer": users["officer"],
        "editor": users["editor"],
        "superuser": users["admin"],
    }


def _url(route: Route, world: World, **override) -> str:
    values = {}
    for param in route.params:
        if param.name in override:
            values[param.name] = override[param.name]
        elif param.choices:
            values[param.name] = param.choices[0]
        elif param.name == "pk":
            values[param.name] = world.pks.get(route.name.split(":")[0], 1)
        else:
            values[param.name] = world.values.get(param.name, "1")
    return route.url(**values)


def _discover_forms(world: World, routes: list[Route]) -> dict[str, list[Form]]:
    """Every POST form the site shows its most privileged readers, by the route it posts to."""
    found: dict[str, dict] = {}
    for role in ("author", "moderator", "officer", "superuser"):
        client = _client(world, role)
        for route in routes:
            if route.admin and role != "superuser":
                continue
            response = client.get(_url(route, world))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_in(response.content.decode("utf-8", "replace"), _url(route, world)):
                try:
                    match = resolve(form.action)
                except Resolver404:
                    continue
                forms = found.setdefault(match.view_name or "", {})
                # One form of each shape: a page lists the same form under every post.
                forms.setdefault(
                    (frozenset(form.text), *map(frozenset, (form.choices, form.files))), form
                )
    return {name: list(forms.values()) for name, forms in found.items()}


def _copy_demo_files(media_root) -> None:
    """The demo's documents into the sweep's own MEDIA_ROOT: the snapshot's rows name files
    its load wrote under the run's MEDIA_ROOT, and the document views must find them here as
    they did after a load of the sweep's own."""
    from django.core.files.storage import default_storage
    from wagtail.documents import get_document_model

    for document in get_document_model().objects.all():
        source = media_root / document.file.name
        if source.exists() and not default_storage.exists(document.file.name):
            with source.open("rb") as content:
                default_storage.save(document.file.name, File(content))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, _demo_snapshot):
    """The demo, copied once for the module from the run's snapshot (as the `demo` fixture
    does, tests/demo_snapshot.py) and rolled back after; each request runs in a savepoint of
    its own that is rolled back too, so nothing one sends changes the next."""
    from tests import demo_snapshot

    run_media = Path(settings.MEDIA_ROOT)
    root = tmp_path_factory.mktemp("url-sweep")
    overrides = {
        "MEDIA_ROOT": str(root / "media"),
        "CONSULTATIONS_PRIVATE_ROOT": str(root / "private"),
        "FORUMS_POST_RATE": "100000/60",
        "CONSULTATIONS_COMMENT_RATE": "100000/60",
    }
    with django_db_blocker.unblock(), override_settings(**overrides), transaction.atomic():
        loaded = demo_snapshot.restore(_demo_snapshot)
        cache.clear()  # as after a load of its own
        _copy_demo_files(run_media)
        values, pks = _real_values(loaded)
        sessions = {
            role: user and sockets.session_key(user) for role, user in _role_users(loaded).items()
        }
        w = World(sessions=sessions, values=values, pks=pks)
        with _quiet_refusals():
            w.forms = _discover_forms(w, project_routes())
        yield w
        transaction.set_rollback(True)


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


class _quiet_refusals:
    """Refusals (400, 403, 404, 405, 429) are the expected answers: only errors are kept."""

    def __enter__(self):
        self.log = logging.getLogger("django.request")
        self.level, self.log.level = self.log.level, logging.ERROR
        self.errors = _Errors()
        self.log.addHandler(self.errors)
        return self.errors

    def __exit__(self, *exc):
        self.log.removeHandler(self.errors)
        self.log.level = self.level


def _client(world: World, role: str) -> Client:
    client = LightClient(raise_request_exception=False)
    if world.sessions.get(role):
        client.cookies["sessionid"] = world.sessions[role]
    return client


@dataclass
class Sweep:
    world: World
    role: str
    failures: list = field(default_factory=list)
    sent: int = 0

    def send(self, method: str, url: str, what: str, **kwargs) -> int:
        client = _client(self.world, self.role)
        with _quiet_refusals() as errors, transaction.atomic():
            response = getattr(client, method)(url, **kwargs)
            if response.streaming:
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
        self.sent += 1
        if response.status_code >= 500 or errors.records:
            logged = errors.records[0].getMessage()[:300] if errors.records else ""
            shown = url if len(url) < 200 else url[:200] + "…"
            self.failures.append(
                f"{self.role}: {method.upper()} {shown} ({what}) → {response.status_code} {logged}"
            )
        return response.status_code


FORM = "application/x-www-form-urlencoded"
PRIVILEGED = ("moderator", "officer", "superuser")
KINDS = [kind for kind in GARBAGE if kind != "huge"]  # huge is sent on its own (size)
# How many mixed requests each reader sends per place: the readers who reach furthest more.
MIXES = {"superuser": 4, "moderator": 3, "officer": 3}


def _mix(names, role: str, n: int) -> dict[str, str]:
    """The n-th garbage mix for this reader: each name a different kind, shifted per request
    and per reader, so that across requests and readers every name meets every kind without
    sending the cartesian product."""
    offset = ROLES.index(role) * 2 + n
    return {name: GARBAGE[KINDS[(i + offset) % len(KINDS)]] for i, name in enumerate(names)}


def _body(fields: dict[str, str]) -> str:
    return "&".join(f"{quote(name)}={value}" for name, value in fields.items())


def _post_bodies(forms: list[Form], role: str, mixes: int, huge: bool):
    """(what, urlencoded body): every field of the route's forms and every parameter the views
    read, mixed garbage; then each form as a browser sends it (its choices: the `action`
    gets the view past its first check) with garbage in every typed field."""
    names = sorted({n for f in forms for n in (*f.text, *f.choices)} | set(params_read_by_views()))
    for n in range(mixes):
        yield f"every field, mix {n}", _body(_mix(names, role, n))
        for form in forms[:3]:  # a screen's few shapes of form; more repeat them
            if form.text:
                typed = {name: quote(v) for name, v in form.choices.items()}
                yield f"typed fields, mix {n}", _body(typed | _mix(sorted(form.text), role, n))
    if huge:  # as many fields per request as stay below the upload limit
        for chunk in (names[i : i + HUGE_PER_BODY] for i in range(0, len(names), HUGE_PER_BODY)):
            body = _body(dict.fromkeys(chunk, HUGE))
            assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            yield "huge fields", body


def _multipart(forms: list[Form]):
    for form in forms:
        if not (form.multipart and form.files):
            continue
        for kind, value in TEXT_AS_DATA.items():
            data = dict(form.choices) | dict.fromkeys(form.text, value)
            for name in form.files:
                data[name] = SimpleUploadedFile(
                    "evil.pdf",
                    b"<html><script>x</script></html>\n%PDF-1.4\n" + value.encode(),
                    content_type="application/pdf",
                )
            yield f"multipart {kind}", data


def _resolves_to(url: str, route: Route) -> bool:
    try:
        return resolve(unquote(url)).func is route.callback
    except Resolver404:
        return False


CLOSED = {302, 401, 403, 404, 405}


def _sweep_route(s: Sweep, route: Route) -> None:
    world, role = s.world, s.role
    url = _url(route, world)
    forms = world.forms.get(route.name, [])
    opened = s.send("get", url, "real ids")
    posted = s.send("post", url, "nothing", data="", content_type=FORM)
    mixes, huge = MIXES.get(role, 2), role in PRIVILEGED
    if opened in CLOSED and posted in CLOSED and role not in PRIVILEGED:
        # The door is shut to this reader (sign in, no right, no such thing): one mix checks
        # that it stays shut whatever is sent; the others go further.
        mixes = 1
    # Path parameters, each in turn, the others real. What the converter refuses never
    # reaches the view: the anonymous reader sends it; everyone sends what reaches the view.
    for param in route.params:
        if param.choices:
            continue
        for value in (*PATH_GARBAGE, PATH_HUGE):
            garbled = _url(route, world, **{param.name: value})
            if role == "anonymous" or _resolves_to(garbled, route):
                s.send("get", garbled, f"path {param.name}={value[:20]}")
    # Query parameters the views read, all at once.
    read = sorted(params_read_by_views())
    for n in range(mixes):
        s.send("get", f"{url}?{_body(_mix(read, role, n))}", f"query mix {n}")
    if huge:
        s.send("get", f"{url}?{read[0]}={HUGE}&page={HUGE}", "query huge")
    # POST: the route's own forms (as the site shows them) and every parameter views read.
    for what, body in _post_bodies(forms, role, mixes, huge):
        s.send("post", url, what, data=body, content_type=FORM)
    if role in ("author", "superuser"):
        for what, data in _multipart(forms):
            s.send("post", url, what, data=data)


def _swept_routes() -> list[Route]:
    return [route for route in project_routes() if route.name != "account_logout"] + [
        route for route in project_routes() if route.name == "account_logout"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("route", _swept_routes(), ids=str)
def test_no_garbage_earns_a_500_or_a_traceback(world, route):
    failures, sent = [], 0
    for role in ROLES:
        sweep = Sweep(world, role)
        _sweep_route(sweep, route)
        failures += sweep.failures
        sent += sweep.sent
    assert sent
    assert not failures, f"{len(failures)} errors of {sent} requests:\n" + "\n".join(failures[:30])


def test_the_sweep_reaches_forms_and_parameters(world):
    """The sweep cannot pass by posting to nothing: it found the site's forms."""
    assert {"forums:reply", "forums:moderate_post", "consultations:comment_create"} <= set(
        world.forms
    )
    assert {"next", "page", "reply_to"} <= params_read_by_views()


# --- WebSockets ---------------------------------------------------------------------------

WS_PATHS = (
    "/ws/nothing/",
    "/ws/",
    "/",
    "/ws/forums/groups/-1/",
    "/ws/forums/groups/0/",
    "/ws/forums/groups/99999999999999999999999/",
    "/ws/forums/groups/abc/",
    "/ws/forums/groups/1/../../",
    "/ws/forums/groups/%00/",
    "/ws/forums/groups/\x00/",
    "/ws/forums/groups/%FF%FE/",
    "/ws/" + "x" * 5000 + "/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("path", WS_PATHS, ids=lambda p: p[:40])
def test_unrouted_and_garbage_socket_paths_are_refused_cleanly(path):
    """daphne turns an exception in the handshake into a 500: a garbage path is accepted and
    closed with 4404, "unknown target" (docs/realtime.md), so the client knows to stop."""

    async def scenario():
        socket, accepted, code = await sockets.connect(path)
        if accepted:
            frame = await socket.receive_output(timeout=5)
            code = frame.get("code") if frame["type"] == "websocket.close" else frame
        await sockets.close(socket)
        return code

    with _quiet_refusals() as errors:
        code = sockets.run(scenario)
    assert code == 4404
    assert not errors.records
