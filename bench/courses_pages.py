"""Requests/s and latency of a lesson page and a facilitator's cohort dashboard (200
participants × 5 modules), next to a minimal Django view, under daphne, in one run.

    .venv/bin/python bench/courses_pages.py [--seconds 5] [--clients 1,10,50]
                                            [--database-url postgres://…]

Starts one daphne worker on a scratch database (SQLite unless --database-url) with the demo
content, seeds a cohort of 200 participants with progress and attempts across the course's
five modules, then for each path and each number of concurrent clients runs closed-loop
clients for a fixed time. Prints requests/s, p50 and p99 latency, the ratio of requests/s to
the minimal view (`/health/`: one `SELECT 1`, a JSON answer) at the same concurrency, and
each page's SQL query count (measured in-process). Figures depend on the machine (and on
what else runs on it): compare ratios, not absolutes.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import free_port, load  # noqa: E402
from bench.production import start_daphne  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANTS = 200

SEED = r"""
import django, json, random
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from allauth.account.models import EmailAddress
from accounts.models import Profile
from courses.models import (AssessmentAttempt, Cohort, CohortMembership, CoursePage, Enrolment,
                            LessonCompletion)
from courses.progress import course_outline

User = get_user_model()
rng = random.Random(42)
course = CoursePage.objects.get(locale__language_code="en")
outline = course_outline(course)
facilitator = User.objects.get(email="facilitator@example.org")
cohort, _ = Cohort.objects.get_or_create(join_code="BENCH200", defaults=dict(
    name="Bench cohort", facilitator=facilitator, course_key=course.translation_key))
with transaction.atomic():
    users = User.objects.bulk_create([User(email=f"bench{i}@example.org") for i in range(%(n)d)])
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True,
                                                   primary=True) for u in users])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Participant {i}",
                                         organisation="Customs") for i, u in enumerate(users)],
                                ignore_conflicts=True)
    CohortMembership.objects.bulk_create([CohortMembership(cohort=cohort, user=u) for u in users])
    Enrolment.objects.bulk_create([Enrolment(user=u, course_key=course.translation_key,
                                             cohort=cohort) for u in users])
    completions, attempts = [], []
    for u in users:
        reached = rng.randint(0, len(outline.lessons))
        for lesson in outline.lessons[:reached]:
            completions.append(LessonCompletion(user=u, course_key=course.translation_key,
                                                lesson_key=lesson.key, how="assessed"))
            for a in lesson.page.assessments:
                for n in (1, 2):
                    score = rng.choice([40, 60, 80, 100])
                    attempts.append(AssessmentAttempt(
                        user=u, course_key=course.translation_key, lesson_key=lesson.key,
                        block_id=a["id"], kind=a["kind"], number=n, score=score, pass_mark=60,
                        passed=score >= 60))
    LessonCompletion.objects.bulk_create(completions)
    AssessmentAttempt.objects.bulk_create(attempts)

def session_for(user):
    s = SessionStore()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    return s.session_key

learner = users[0]
lesson = outline.lessons[0].page
print(json.dumps({
    "lesson": lesson.url, "dashboard": f"/en/courses/cohorts/{cohort.pk}/",
    "learner_session": session_for(learner), "facilitator_session": session_for(facilitator),
    "learner": learner.pk, "facilitator": facilitator.pk,
    "completions": len(completions), "attempts": len(attempts),
}))
"""

QUERIES = r"""
import django, json
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
spec = json.loads(%(spec)r)
out = {}
for key, path, user in (("health", "/health/", None), ("lesson", spec["lesson"], spec["learner"]),
                        ("dashboard", spec["dashboard"], spec["facilitator"])):
    c = Client()
    if user:
        c.force_login(get_user_model().objects.get(pk=user))
    c.get(path)
    with CaptureQueriesContext(connection) as q:
        status = c.get(path).status_code
    out[key] = [len(q), status]
print(json.dumps(out))
"""


def run(python: str, code: str, env: dict) -> dict:
    result = subprocess.run(
        [python, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    concurrency = [int(c) for c in args.clients.split(",")]

    scratch = Path(tempfile.mkdtemp(prefix="bench-courses-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=args.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT / "platform"),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_DEBUG="1",
    )
    python = sys.executable
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    spec = run(python, SEED % {"n": PARTICIPANTS}, env)
    queries = run(python, QUERIES % {"spec": json.dumps(spec)}, env)
    paths = [
        ("minimal Django view", "/health/", ""),
        ("lesson page (learner)", spec["lesson"], f"sessionid={spec['learner_session']}"),
        ("cohort dashboard", spec["dashboard"], f"sessionid={spec['facilitator_session']}"),
    ]
    port = free_port()
    daphne = start_daphne(env, port)
    try:
        for _label, path, cookie in paths:  # warm caches and Wagtail's site lookup
            load(port, path, 0.5, 2, cookie)
        print(
            f"daphne, 1 worker, {args.seconds:.0f} s per measurement, "
            f"database {env['DATABASE_URL'].split(':')[0]}"
        )
        print(
            f"cohort: {PARTICIPANTS} participants × {5} modules, "
            f"{spec['completions']} lesson completions, {spec['attempts']} attempts\n"
        )
        print(
            f"{'page':24} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'vs minimal':>10} {'errors':>7}"
        )
        for clients in concurrency:
            baseline = None
            for label, path, cookie in paths:
                r = load(port, path, args.seconds, clients, cookie)
                baseline = baseline or r["rps"]
                print(
                    f"{label:24} {clients:7d} {r['rps']:8.1f} {r['p50']:8.1f} "
                    f"{r['p99']:8.1f} {r['rps'] / baseline:10.2f} {r['errors']:7d}"
                )
            print()
    finally:
        daphne.terminate()
        daphne.wait(10)
    print("SQL queries per request (warm, in-process):")
    for key, (count, status) in queries.items():
        print(f"  {key:12} {count:3d} queries (HTTP {status})")


if __name__ == "__main__":
    main()
