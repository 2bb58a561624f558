"""Consultations under load: comment submissions with 50 concurrent clients against a minimal
POST on the same daphne workers, and CSV and XLSX exports of 100,000 comments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/biosafety_consultations_bench \\
        .venv/bin/python bench/consultations_load.py [--clients 50] [--per-client 20] \\
        [--http-workers 2] [--skip-in-process] [--export-rows 100000] \\
        [--export-formats csv xlsx]

Needs PostgreSQL (SQLite takes one writer at a time, which is not what is measured here);
the database is created if missing, migrated, and the benchmark's own rows are added to it.

1. Submissions in-process (unless --skip-in-process): each client is a signed-in verified
   account with its own connection and Django test client (the whole request path:
   middleware, CSRF-free form post, view, service, sanitising, reference number, receipt mail
   to the in-memory backend). Prints submissions/s, p50, p99 and max latency, and checks
   1 comment, 1 reference and 1 receipt per submission.
2. The same over HTTP on `--http-workers` daphne processes (settings bench.pages_settings):
   first the minimal POST (`/bench/insert/`, one INSERT), then the comment POST, by the same
   clients on the same workers; prints both, their ratio, and how long after the last answer
   every comment's follow-up (search entry, campaign, receipt) was done.
3. Exports: fills a second consultation with N comments (bulk insert), then for each format a
   fresh subprocess streams the officers' export of it to /dev/null and prints the time, the
   time to the first byte, the bytes written, and its peak RSS against its RSS before.
Figures depend on the machine (here: 2 shared cores); compare them, not their absolutes.
"""

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
from bench.comment_texts import comment_text  # noqa: E402
from bench.production import production_env, start_followup_worker  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# One key for this process and its daphne workers: sessions made here must verify there.
os.environ.setdefault("SECRET_KEY", "bench-" + uuid.uuid4().hex)
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/biosafety_consultations_bench"


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc (Linux). Not ru_maxrss:
    Linux carries that over exec from the parent, which built the 100,000 rows."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _sep, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CONSULTATIONS_COMMENT_RATE = "1000000/60"
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False


def make_world():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from core.demo import home_load, read_fixture, users_load

    data = read_fixture("site.json")
    home = home_load(data["home"])
    users_load(data["users"], data["demo_password"])
    return home


def new_consultation(home, label: str):
    import json
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import ConsultationIndexPage, ConsultationPage

    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        index = ConsultationIndexPage(title="Consultations", slug="consultations")
        home.add_child(instance=index)
        index.save_revision().publish()
    now = timezone.now()
    code = f"B{uuid.uuid4().hex[:8].upper()}"
    page = ConsultationPage(
        title=f"Benchmark {label} {code}",
        slug=f"bench-{code.lower()}",
        decision_type="law",  # no notifier: no Art. 21.6 file needed for a benchmark
        authority="Bench",
        summary="<p>Bench</p>",
        reference_code=code,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        sections=json.dumps(
            [
                {
                    "type": "section",
                    "id": str(uuid.uuid4()),
                    "value": {"number": "1", "heading": "One", "body": "<p>x</p>"},
                }
            ]
        ),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_users(n: int):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from accounts.services import profile_update

    run = uuid.uuid4().hex[:6]
    users = []
    for i in range(n):
        email = f"bench-{run}-{i}@example.org"
        user = User.objects.create_user(email=email, password=None)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        profile_update(
            user=user, display_name=f"Bench {i}", country="KE", stakeholder_category="ngo"
        )
        users.append(user)
    return users


def bench_submissions(home, clients: int, per_client: int) -> None:
    from django.core import mail
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from consultations.models import Comment

    page = new_consultation(home, "submissions")
    users = make_users(clients)
    url = reverse("consultations:comment_create", args=[page.pk])
    mail.outbox = []
    latencies, failures = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(user):
        browser = Client()
        browser.force_login(user)
        mine = []
        barrier.wait()
        for n in range(per_client):
            start = time.perf_counter()
            response = browser.post(
                url,
                {
                    "token": str(uuid.uuid4()),
                    "section": "",
                    "body": f"<p>Comment {n} from {user.pk}</p>",
                },
            )
            mine.append(time.perf_counter() - start)
            if response.status_code != 302:
                with lock:
                    failures.append(response.status_code)
        with lock:
            latencies.extend(mine)
        connections.close_all()

    threads = [threading.Thread(target=client, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    stored = Comment.objects.filter(consultation=page)
    references = set(stored.values_list("reference", flat=True))
    receipts = sum(1 for m in mail.outbox if "received" in m.subject)
    _report("in-process, threads", clients, per_client, elapsed, latencies)
    print(
        f"  stored {stored.count()}, distinct references {len(references)}, "
        f"receipts {receipts}, failed requests {len(failures)}"
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(user) -> str:
    """A signed-in session for `user`, as the login view would create it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def bench_http(home, clients: int, per_client: int, workers: int, followup: str) -> None:
    """The same load over HTTP against `workers` daphne processes (clients spread evenly,
    as a proxy would), production settings (DEBUG off), receipts written as files."""
    import http.client
    import re
    import tempfile
    import urllib.request

    from consultations.models import Comment

    page = new_consultation(home, "http")
    run = uuid.uuid4().hex[:8]
    users = make_users(clients)
    cookies = [_session_cookie(user) for user in users]
    workdir = Path(tempfile.mkdtemp(prefix="consultations-bench-"))
    env = {
        **os.environ,
        # The site's settings plus the minimal POST (/bench/insert/) measured beside it.
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        **production_env(workdir),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONSULTATIONS_FOLLOWUP": followup,
        # deploy/env.example's pool unless the environment says otherwise.
        "DATABASE_POOL_SIZE": os.environ.get("DATABASE_POOL_SIZE", "8"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    ports = [_free_port() for _ in range(workers)]
    servers = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            # One core each, as deployed (core.cpu_affinity).
            env={**env, "WORKER_INDEX": str(index)},
            stdout=subprocess.DEVNULL,
            # Kept: a 500 under load is explained there (the path is printed at the end).
            stderr=(workdir / f"daphne-{port}.log").open("wb"),
        )
        for index, port in enumerate(ports, start=1)
    ]
    if followup == "worker":
        servers.append(start_followup_worker(env, stderr=(workdir / "followup.log").open("wb")))
    try:
        for port in ports:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.25)
        path = f"/en/consultations/{page.pk}/comment/"
        page_path = page.url
        # The reference first, on the same workers with the same clients: a minimal view that
        # inserts one row (bench/pages_urls.py), `per_client` times per client.
        baseline = _minimal_posts(ports, clients, per_client)
        latencies, failures = [], []
        lock = threading.Lock()
        barrier = threading.Barrier(clients + 1)

        def client(index: int) -> None:
            port = ports[index % workers]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            cookie = f"sessionid={cookies[index]}"
            # The page once, as a browser would: the CSRF cookie and the form's token.
            conn.request("GET", page_path, headers={"Cookie": cookie})
            response = conn.getresponse()
            html = response.read().decode()
            csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
            csrf_form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            if not (csrf_cookie and csrf_form):
                with lock:
                    failures.append("no CSRF token")
                barrier.wait()
                return
            headers = {
                "Cookie": f"{cookie}; csrftoken={csrf_cookie.group(1)}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}{page_path}",
            }
            mine = []
            barrier.wait()
            for n in range(per_client):
                from urllib.parse import urlencode

                body = urlencode(
                    {
                        "csrfmiddlewaretoken": csrf_form.group(1),
                        "token": str(uuid.uuid4()),
                        "section": "",
                        "body": comment_text(index, n, run),
                    }
                )
                start = time.perf_counter()
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - start)
                location = response.getheader("Location", "")
                if response.status != 302 or "/ref/" not in location:
                    with lock:
                        failures.append(f"{response.status} {location}")
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        with _Bystander(ports[0]) as bystander:
            for thread in threads:
                thread.join()
        elapsed = time.perf_counter() - started
        # The follow-up (search entry, campaign, receipt) runs after each answer, on the
        # workers' background threads: wait until every comment's receipt is marked sent,
        # so that deferred work is counted, not hidden.
        marked = Comment.objects.filter(consultation=page, receipt_sent_at__isnull=False)
        for _ in range(600):
            if marked.count() >= Comment.objects.filter(consultation=page).count():
                break
            time.sleep(0.2)
        drained = time.perf_counter() - started
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()

    stored = Comment.objects.filter(consultation=page)
    references = set(stored.values_list("reference", flat=True))
    time.sleep(0.5)
    # The file backend appends messages that share a second to one file, each followed by
    # a line of 79 dashes: count those lines, not files.
    separator = b"\n" + b"-" * 79 + b"\n"
    receipts = sum(path.read_bytes().count(separator) for path in (workdir / "mail").glob("*"))
    _report(f"minimal POST, {workers} daphne worker(s)", clients, per_client, *baseline[:2])
    print(f"  failed requests {baseline[2]}; {baseline[3].summary()}")
    _report(f"HTTP, {workers} daphne worker(s)", clients, per_client, elapsed, latencies)
    print(f"  {bystander.summary()}")
    print(
        f"  stored {stored.count()}, distinct references {len(references)}, "
        f"receipts {receipts}, failed requests {len(failures)} {failures[:3]}"
    )
    if failures:
        print(f"  the workers' errors: {workdir}/daphne-*.log")
    print(
        f"  comment POST / minimal POST: {baseline[0] / elapsed:.2f} "
        f"(throughput, same workers, same run)"
    )
    print(
        f"  every follow-up done (receipts marked sent) {drained:.1f} s after the first POST "
        f"({drained - elapsed:.1f} s after the last answer): "
        f"{clients * per_client / drained:.1f} comments/s with their follow-up"
    )


def _minimal_posts(ports, clients: int, per_client: int):
    """(elapsed s, latencies, failures) of `per_client` minimal POSTs per client."""
    import http.client

    workers = len(ports)
    latencies, failures = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", ports[index % workers], timeout=60)
        mine, bad = [], 0
        barrier.wait()
        for _n in range(per_client):
            start = time.perf_counter()
            conn.request("POST", "/bench/insert/", body=b"", headers={"Content-Length": "0"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            bad += response.status != 201
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    with _Bystander(ports[0]) as bystander:
        for thread in threads:
            thread.join()
    return time.perf_counter() - started, latencies, sum(failures), bystander


class _Bystander:
    """One more client, GETting the minimal view (`SELECT 1`) of one worker every 50 ms while
    the writers run: how long a request that is not a comment waits behind them."""

    def __init__(self, port: int):
        self.port = port
        self.latencies: list[float] = []
        self._stop = threading.Event()

    def _run(self) -> None:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self._stop.is_set():
            start = time.perf_counter()
            conn.request("GET", "/bench/minimal/")
            conn.getresponse().read()
            self.latencies.append(time.perf_counter() - start)
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def summary(self) -> str:
        values = sorted(self.latencies)
        if not values:
            return "no bystander GETs"
        p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
        return (
            f"a bystander GET of the minimal view meanwhile: p50 "
            f"{statistics.median(values) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms ({len(values)})"
        )


def _report(label, clients, per_client, elapsed, latencies) -> None:
    total = clients * per_client
    latencies = sorted(latencies)
    if not latencies:
        print(f"submissions ({label}): nothing measured")
        return

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    print(
        f"submissions ({label}): {clients} clients × {per_client} = {total} in "
        f"{elapsed:.2f} s → {total / elapsed:.1f} comments/s"
    )
    print(
        f"  latency ms: p50 {pct(0.50):.0f}, p90 {pct(0.90):.0f}, p99 {pct(0.99):.0f}, "
        f"max {latencies[-1] * 1000:.0f}, mean {statistics.mean(latencies) * 1000:.0f}"
    )


def fill_export(home, rows: int):
    from django.utils import timezone

    from consultations.models import Comment, CommentCounter

    page = new_consultation(home, "export")
    users = make_users(20)
    body = "<p>" + "A comment of ordinary length, about the risk assessment. " * 8 + "</p>"
    digest = hashlib.sha256(body.encode()).hexdigest()
    now = timezone.now()
    batch = []
    started = time.perf_counter()
    for seq in range(1, rows + 1):
        user = users[seq % len(users)]
        batch.append(
            Comment(
                consultation=page,
                sequence=seq,
                reference=f"{page.reference_code}-{seq:06d}",
                author=user,
                submission_token=uuid.uuid4(),
                body=body,
                body_sha256=digest,
                author_name=f"Bench {seq % 20}",
                author_organisation="Org",
                author_country="KE",
                author_category="ngo",
                submitted_at=now,
                moderation_status="published",
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    CommentCounter.objects.create(consultation=page, last=rows)
    print(f"export: inserted {rows} comments in {time.perf_counter() - started:.1f} s")
    return page


def stream_export(page_id: int, export_format: str = "csv") -> None:
    """Run in a fresh process: stream the officers' export (CSV or XLSX) as the view does,
    print memory and time."""
    from django.db import connection

    from consultations.exports import OFFICER_COLUMNS, csv_response, xlsx_response
    from consultations.models import Comment

    queryset = Comment.objects.filter(consultation_id=page_id)
    rows = queryset.count()
    connection.close()  # measured from a fresh connection, as a request would
    # Warm what any request of a running worker has loaded already (openpyxl, templates).
    import openpyxl  # noqa: F401

    before, _peak = memory_mb()
    started = time.perf_counter()
    make = xlsx_response if export_format == "xlsx" else csv_response
    response = make(queryset, OFFICER_COLUMNS, "bench")
    written = 0
    first = None
    with open(os.devnull, "wb") as sink:
        for chunk in response.streaming_content:
            first = first or time.perf_counter() - started
            sink.write(chunk)
            written += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    print(
        f"  {export_format.upper()}: streamed {rows} rows, {written / 1e6:.1f} MB in "
        f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s); first byte after {first:.2f} s"
    )
    _now, peak = memory_mb()
    print(
        f"  peak RSS {peak:.0f} MB (RSS before streaming: {before:.0f} MB; "
        f"growth {peak - before:.0f} MB for {written / 1e6:.0f} MB written)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument(
        "--http-workers", type=int, default=2, help="daphne processes for the HTTP run (0: skip it)"
    )
    parser.add_argument(
        "--skip-in-process", action="store_true", help="only the HTTP run of the submissions"
    )
    parser.add_argument(
        "--export-formats", nargs="+", default=["csv", "xlsx"], choices=["csv", "xlsx"]
    )
    parser.add_argument(
        "--followup",
        choices=["after-response", "worker"],
        default="after-response",
        help="where comments' follow-up runs in the HTTP run: the workers' background threads, "
        "or a `manage.py consultations_followup` process at nice 10 as deploy/ runs it "
        "(needs REDIS_URL)",
    )
    parser.add_argument("--stream-export", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stream-format", default="csv", help=argparse.SUPPRESS)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    if args.stream_export:
        setup_django()
        stream_export(args.stream_export, args.stream_format)
        return
    ensure_database(url)
    setup_django()
    home = make_world()
    if args.clients:
        if not args.skip_in_process:
            bench_submissions(home, args.clients, args.per_client)
        if args.http_workers:
            if args.followup == "worker" and not os.environ.get("REDIS_URL"):
                parser.error("--followup worker needs REDIS_URL")
            bench_http(home, args.clients, args.per_client, args.http_workers, args.followup)
    if args.export_rows:
        page = fill_export(home, args.export_rows)
        for export_format in args.export_formats:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--stream-export",
                    str(page.pk),
                    "--stream-format",
                    export_format,
                ],
                check=True,
                env=os.environ,
            )


if __name__ == "__main__":
    main()
