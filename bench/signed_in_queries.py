"""SQL queries and in-process time per request of each signed-in page, on a database that
holds the demo content (`make demo`), with Django's test client; `--sql` prints the queries,
`--profile` a cProfile of the lesson and the cohort dashboard.

    DATABASE_URL=… REDIS_URL=… ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/signed_in_queries.py [--sql] [--profile]

The participant (participant@example.org) reads, the demo cohort's facilitator opens the
dashboard. Each page is requested twice to warm the caches, then counted once and timed over
30 requests. Times include the test client and depend on the machine: compare, not quote.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from core.demo_pages import demo_page_urls
    from courses.models import Cohort

    cohort = Cohort.objects.order_by("pk").first()
    pages = demo_page_urls(signed_in=True) | {
        "cohort dashboard": f"/en/courses/cohorts/{cohort.pk}/"
    }
    participant = User.objects.get(email="participant@example.org")
    for label, path in pages.items():
        client = Client()
        client.force_login(cohort.facilitator if label == "cohort dashboard" else participant)
        for _ in range(2):
            assert client.get(path).status_code == 200, label
        # DEBUG keeps at most 9,000 queries in its log: empty it, and read it before the next.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        sqls = [q["sql"] for q in queries.captured_queries]
        start = time.perf_counter()
        for _ in range(30):
            client.get(path)
            reset_queries()
        ms = (time.perf_counter() - start) / 30 * 1000
        print(f"{label:20} {len(sqls):3} queries {ms:7.1f} ms/request")
        if args.sql:
            for sql in sqls:
                print("      ", sql[:200])
        if args.profile and label in ("lesson", "cohort dashboard"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(20):
                client.get(path)
                reset_queries()
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())


if __name__ == "__main__":
    main()
