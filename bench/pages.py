"""Requests/s and latency of the site's pages under daphne, next to a static file.

    .venv/bin/python bench/pages.py [--seconds 5] [--concurrency 8]

Starts one daphne worker on a scratch SQLite database with the demo content, then for each
path runs closed-loop clients for a fixed time and prints requests/s, p50 and p99, and the
ratio to the static file measured in the same run (the upper bound for one worker). Also
prints each page's number of SQL queries, measured in-process with Django's test client.
Figures depend on the machine: compare ratios, not absolutes.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/static/css/site.css", "/en/", "/zh-hans/", "/en/accounts/login/", "/health/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, seconds: float, concurrency: int, cookie: str = "") -> dict:
    """Closed-loop GETs of `path` by `concurrency` clients for `seconds`: req/s, p50, p99 (ms)."""
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / seconds,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "errors": errors,
    }


def query_counts(env: dict) -> dict[str, int]:
    code = (
        "import django, json; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "c = Client(); out = {}\n"
        f"for p in {PATHS!r}[1:]:\n"
        "    c.get(p)\n"
        "    with CaptureQueriesContext(connection) as q: c.get(p)\n"
        "    out[p] = len(q)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{scratch / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT / "platform"),
        ALLOWED_HOSTS="127.0.0.1,testserver",
    )
    python = sys.executable
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = free_port()
    daphne = subprocess.Popen(
        [
            str(Path(python).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.1)
        for path in PATHS:  # warm caches and Wagtail's site lookup
            load(port, path, 0.5, 2)
        print(f"daphne, 1 worker, {args.concurrency} clients, {args.seconds:.0f} s per path")
        print(
            f"{'path':24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs static':>10} {'errors':>7}"
        )
        baseline = None
        for path in PATHS:
            r = load(port, path, args.seconds, args.concurrency)
            baseline = baseline or r["rps"]
            print(
                f"{path:24} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} "
                f"{r['rps'] / baseline:10.2f} {r['errors']:7d}"
            )
    finally:
        daphne.terminate()
        daphne.wait(10)
    print("\nSQL queries per request (warm):")
    for path, count in query_counts(env).items():
        print(f"  {path:24} {count}")


if __name__ == "__main__":
    main()
