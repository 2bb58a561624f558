"""Requests/s, latency and queries of every area's pages, anonymous and signed in, and of the
comment POST, next to a minimal view and a minimal POST, under one daphne worker, in one run.

    .venv/bin/python bench/pages.py [--seconds 5] [--concurrency 8] [--database-url URL]
                                    [--redis-url URL]

Starts one daphne worker (settings bench.pages_settings: the site's plus the two reference
views) on a scratch database (SQLite unless --database-url) with the demo content, then for
each request runs closed-loop clients for a fixed time and prints requests/s, p50 and p99, and
the ratio to the reference measured in the same run: GETs against the minimal view
(`/bench/minimal/`: one `SELECT 1`; measured before and after the pages, the mean of the two),
POSTs against the minimal POST (`/bench/insert/`: one INSERT). Anonymous pages come from the
page cache (core.page_cache) after the first request. The facilitator's cohort dashboard is
measured on a cohort of 200 participants with progress and attempts
(bench/courses_pages.py's). `--only 'signed in,facilitator'` measures only the GETs whose
label contains one of the words (the minimal view always).
The comment POST is sent by `--concurrency` signed-in, verified commenters, each with a fresh
form token per request, taking turns with the minimal POST (`--post-rounds`, 5 by default);
stored rows, distinct references and receipts are counted after.
Also prints each page's SQL queries (warm), measured in-process with Django's test client.
Figures depend on the machine (and on what else runs on it): compare ratios, not absolutes.
"""

import argparse
import http.client
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ and deploy/, imported below and in main()
from bench.comment_texts import comment_text  # noqa: E402

# Kept for bench/courses_pages.py and others that import `load`.
PATHS = ["/static/css/site.css", "/en/", "/zh-hans/", "/en/accounts/login/", "/health/"]

SEED = r"""
import django, json, uuid
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from allauth.account.models import EmailAddress
from accounts.models import User
from accounts.services import profile_update
from consultations.models import ConsultationPage
from core.demo_pages import demo_page_urls

def session(user):
    s = import_module(settings.SESSION_ENGINE).SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.save()
    return s.session_key

pages = demo_page_urls()
consultation = next(p for p in ConsultationPage.objects.live().filter(locale__language_code="en")
                    if p.is_open)
participant = User.objects.get(email="participant@example.org")
run = uuid.uuid4().hex[:6]
commenters = []
for i in range(%(clients)d):
    email = f"bench-{run}-{i}@example.org"
    user = User.objects.create_user(email=email, password=None)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile_update(user=user, display_name=f"Bench {i}", country="KE", stakeholder_category="ngo")
    commenters.append(session(user))
print(json.dumps({"pages": pages, "signed_in": session(participant), "commenters": commenters,
                  "consultation": consultation.pk, "consultation_path": consultation.url}))
"""

QUERIES = r"""
import django, json
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
data = json.loads(%(data)r)
out = {}
for label, path in data["pages"].items():
    for who in ("anonymous", "signed in"):
        c = Client()
        if who == "signed in":
            c.cookies["sessionid"] = data["signed_in"]
        c.get(path)
        with CaptureQueriesContext(connection) as q:
            c.get(path)
        out[f"{label} ({who})"] = len(q)
c = Client()
c.cookies["sessionid"] = data["facilitator"]
c.get(data["dashboard"])
with CaptureQueriesContext(connection) as q:
    c.get(data["dashboard"])
out["cohort dashboard (facilitator)"] = len(q)
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, seconds: float, concurrency: int, cookie: str = "") -> dict:
    """Closed-loop GETs of `path` by `concurrency` clients for `seconds`: req/s, p50, p99 (ms)."""
    headers = {"Cookie": cookie} if cookie else {}
    return run_clients(port, lambda i, n: ("GET", path, None, headers), seconds, concurrency)


def run_clients(port, make_request, seconds, concurrency, ok=(200,)) -> dict:
    """Closed-loop clients; `make_request(client, n)` gives (method, path, body, headers)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(index):
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad, n = [], 0, 0
        while time.perf_counter() < deadline:
            method, path, body, headers = make_request(index, n)
            n += 1
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status not in ok:
                    bad += 1
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _summary(latencies, seconds, errors)


def _summary(latencies: list[float], seconds: float, errors: int) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "rps": n / seconds,
        "n": n,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "errors": errors,
        "latencies": latencies,
    }


def pooled(results: list[dict], seconds: float) -> dict:
    """Several runs of the same request as one: requests/s over their whole time."""
    return _summary(
        [x for r in results for x in r["latencies"]],
        seconds * len(results),
        sum(r["errors"] for r in results),
    )


def _django(env, code: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _comment_requests(port, data, clients):
    """Per client: its session, CSRF cookie and form token, taken from the page once."""
    prepared = []
    for cookie in data["commenters"][:clients]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", data["consultation_path"], headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        html = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
        csrf_form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        prepared.append((cookie, csrf_cookie.group(1), csrf_form.group(1)))
    path = f"/en/consultations/{data['consultation']}/comment/"
    run = uuid.uuid4().hex[:8]
    # Per client, across rounds: `n` starts again at 0 in each round, and the same text sent
    # again would be a copy of the last round's (bench/comment_texts.py).
    written = [itertools.count() for _ in prepared]

    def make(index, n):
        cookie, csrf_cookie, csrf_form = prepared[index]
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf_form,
                "token": str(uuid.uuid4()),
                "section": "",
                "body": comment_text(index, next(written[index]), run),
            }
        )
        headers = {
            "Cookie": f"sessionid={cookie}; csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return "POST", path, body, headers

    return make


def _insert_request(index, n):
    return "POST", "/bench/insert/", b"", {"Content-Length": "0"}


def _count_comments(env, data) -> dict:
    code = (
        "import django, json; django.setup()\n"
        "from consultations.models import Comment\n"
        f"c = Comment.objects.filter(consultation_id={data['consultation']}, "
        "author__email__startswith='bench-')\n"
        "print(json.dumps({'stored': c.count(), "
        "'receipts_marked': c.filter(receipt_sent_at__isnull=False).count(), "
        "'references': len(set(c.values_list('reference', flat=True)))}))\n"
    )
    return _django(env, code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument(
        "--pool",
        type=int,
        default=8,
        help="DATABASE_POOL_SIZE with PostgreSQL (deploy/env.example's 8; 0: no pool)",
    )
    parser.add_argument(
        "--followup",
        choices=["after-response", "worker"],
        default="after-response",
        help="where comments' follow-up (index, campaign, receipt) runs: on the daphne "
        "worker's background thread, or in a `manage.py consultations_followup` process at "
        "nice 10, as deploy/ runs it (needs --redis-url)",
    )
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="let the daphne worker run on every core (deployed, each worker holds to one: "
        "WORKER_INDEX, core.cpu_affinity)",
    )
    parser.add_argument(
        "--post-rounds",
        type=int,
        default=5,
        help="the minimal POST and the comment POST take turns this many times, --seconds each "
        "(rounds differ by 0.1 on a shared machine; the ratio is of their pooled rates)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: measure only the GETs whose label contains one of these (the "
        "minimal view always), e.g. 'signed in,facilitator'",
    )
    args = parser.parse_args()
    from bench.production import production_env, start_daphne, start_followup_worker

    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=args.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        **production_env(scratch),
        SECRET_KEY="bench-" + uuid.uuid4().hex,
    )
    if args.database_url:
        env["DATABASE_POOL_SIZE"] = str(args.pool)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.followup == "worker" and not args.redis_url:
        parser.error("--followup worker needs --redis-url")
    env["CONSULTATIONS_FOLLOWUP"] = args.followup
    python = sys.executable
    if args.database_url:
        from deploy.local_cluster import create_database

        create_database(args.database_url)
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        done = subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    data = _django(env, SEED % {"clients": args.concurrency})
    # The facilitator's dashboard of a cohort of 200 participants with progress and attempts
    # (bench/courses_pages.py's cohort).
    from bench.courses_pages import PARTICIPANTS
    from bench.courses_pages import SEED as COHORT_SEED

    cohort = _django(env, COHORT_SEED % {"n": PARTICIPANTS})
    data["dashboard"] = cohort["dashboard"]
    data["facilitator"] = cohort["facilitator_session"]
    port = free_port()
    daphne = start_daphne(env, port, pinned=not args.no_pin)
    followup = None
    if args.followup == "worker":
        followup = start_followup_worker(env)
    rows = []
    try:
        signed_in = f"sessionid={data['signed_in']}"
        gets = [("minimal view", "/bench/minimal/", "")]
        for label, path in data["pages"].items():
            gets.append((f"{label} (anonymous)", path, ""))
            gets.append((f"{label} (signed in)", path, signed_in))
        gets.append(
            (
                "cohort dashboard (facilitator)",
                data["dashboard"],
                f"sessionid={data['facilitator']}",
            )
        )
        if args.only:
            wanted = [w for w in args.only.split(",") if w]
            gets = [gets[0], *[g for g in gets[1:] if any(w in g[0] for w in wanted)]]
        for _label, path, cookie in gets:  # warm caches and Wagtail's site lookup
            load(port, path, 0.3, 2, cookie)
        print(
            f"daphne, 1 worker{'' if args.no_pin else ' held to one core'}, "
            f"{args.concurrency} clients, {args.seconds:.0f} s per request; "
            f"comment follow-up {args.followup}; "
            f"database {f'PostgreSQL (pool {args.pool})' if args.database_url else 'SQLite'}, "
            f"cache {'Redis' if args.redis_url else 'local memory'}"
        )
        print(f"{'request':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>7}")
        # The minimal view before and after the pages, the ratios against the mean of the two:
        # the machine's pace drifts over the minutes the pages take.
        measured = [
            (label, load(port, path, args.seconds, args.concurrency, cookie))
            for label, path, cookie in gets
        ]
        measured.append(
            (
                "minimal view, again",
                load(port, "/bench/minimal/", args.seconds, args.concurrency, ""),
            )
        )
        baseline = (measured[0][1]["rps"] + measured[-1][1]["rps"]) / 2
        rows.extend((label, r, r["rps"] / baseline) for label, r in measured)
        # The two POSTs take turns, `--post-rounds` times each: the machine's pace drifts over
        # a run (and the follow-up of the comments runs meanwhile), and the ratio is meant to
        # compare them under the same conditions.
        comment_request = _comment_requests(port, data, args.concurrency)
        # Both POSTs warmed up first, as the GETs are: the first comments load the sanitizer,
        # the language guess and the follow-up worker's lookups, which no later one pays.
        run_clients(port, _insert_request, 1.0, args.concurrency, ok=(201,))
        warming = run_clients(port, comment_request, 2.0, args.concurrency, ok=(302,))
        inserts, comments = [], []
        for _round in range(args.post_rounds):
            inserts.append(
                run_clients(port, _insert_request, args.seconds, args.concurrency, ok=(201,))
            )
            comments.append(
                run_clients(port, comment_request, args.seconds, args.concurrency, ok=(302,))
            )
        insert, comment = pooled(inserts, args.seconds), pooled(comments, args.seconds)
        rows.append(("minimal POST (one INSERT)", insert, 1.0))
        rows.append(("comment POST", comment, comment["rps"] / insert["rps"]))
        pairs = zip(inserts, comments, strict=True)
        each_round = ", ".join(f"{c['rps'] / i['rps']:.2f}" for i, c in pairs)
        for label, r, ratio in rows:
            print(
                f"{label:34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {ratio:6.2f} "
                f"{r['errors']:7d}"
            )
        print(
            "(ratio: GETs against the mean of the minimal view's two runs, the comment POST "
            "against the minimal POST)"
        )
        print(f"comment POST / minimal POST in each of the {args.post_rounds} rounds: {each_round}")
    finally:
        daphne.terminate()
        daphne.wait(10)
    time.sleep(0.5)
    counted = _count_comments(env, data)
    if followup is not None:
        # Deferred work is counted, not hidden: wait for the worker to send every receipt.
        started = time.monotonic()
        while counted["receipts_marked"] < counted["stored"] and time.monotonic() - started < 300:
            time.sleep(1)
            counted = _count_comments(env, data)
        print(
            f"follow-up worker: every receipt marked "
            f"{time.monotonic() - started:.0f} s after daphne stopped"
        )
        followup.terminate()
        followup.wait(10)
    separator = b"\n" + b"-" * 79 + b"\n"
    receipts = sum(p.read_bytes().count(separator) for p in (scratch / "mail").glob("*"))
    print(
        f"comments: {comment['n'] + warming['n']} answered ({warming['n']} while warming up), "
        f"{counted['stored']} stored, "
        f"{counted['references']} distinct references, {receipts} receipts"
    )
    print("\nSQL queries per request (warm; anonymous pages after the first from the cache):")
    for label, count in _django(env, QUERIES % {"data": json.dumps(data)}).items():
        print(f"  {label:34} {count}")


if __name__ == "__main__":
    main()
