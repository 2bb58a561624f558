"""Pages through the production topology: nginx in front of 1, 2 and 4 daphne or uvicorn workers.

    .venv/bin/python bench/cluster_pages.py [--workers 1 2 4] [--servers daphne uvicorn]
        [--seconds 10] [--connections 32] [--database-url postgres://…] [--redis-url redis://…]

Needs PostgreSQL, Redis and nginx (deploy/local_cluster.py installs nginx if missing, and the
`uvicorn` extra for uvicorn workers). For each server and worker count, starts the cluster of
deploy/local_cluster.py (access log off, a scratch state folder under /tmp, one port for every
run), then measures with `wrk` (or bench/pages.py's Python clients without it) requests/s, p50
and p99 of the home page, a lesson page, a discussion thread and a consultation page (the
first of each in the demo content, loaded once, on the first start), each next to a static file
served by the same nginx in the same run, measured before and after the pages: the pages' req/s
are printed as ratios to the mean of those two (the upper bound), and the gap between the two
shows how much the shared machine moved meanwhile. Then the WebSocket fan-out to 1,000 readers of
one discussion group spread over the workers by the proxy, with posts through the proxy too
(bench/forums_fanout.py --base-url), next to a raw asyncio broadcast server measured in the same
run (direct, no proxy).

The workers run bench/live_settings.py: the site's settings plus a publish time stamp in live
events and no posting limit for the fan-out's publisher; pages are not affected by either.
The load generator, nginx, PostgreSQL, Redis and the workers share this machine's cores: with
more workers than cores, the figures show contention, not scaling. Compare ratios, not
absolutes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local_cluster import LocalCluster, free_port  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
WRK = shutil.which("wrk")
SETTINGS = "bench.live_settings"
STATIC = "css/site.css"

# The demo's pages, found in the cluster's database; bench rounds (bench/forums_fanout.py's,
# from this or an earlier run) are closed first, so that the home page lists the same rounds
# in every run.
FIND_PAGES = """
import json
from django.utils import timezone
from consultations.models import ConsultationPage
from courses.models import LessonPage
from forums.models import DiscussionGroup, Thread

now = timezone.now()
DiscussionGroup.objects.filter(forum__slug__startswith="bench-", closes_at__gt=now).update(
    closes_at=now
)
lesson = LessonPage.objects.live().public().filter(locale__language_code="en").order_by("path")
groups = DiscussionGroup.objects.exclude(forum__slug__startswith="bench-").order_by("pk")
open_ids = list(groups.open_at(now).values_list("pk", flat=True))
threads = Thread.objects.filter(published_at__isnull=False).order_by("group_id", "pk")
thread = threads.filter(group_id__in=open_ids).first() or threads.filter(group__in=groups).first()
consultations = [
    page.specific
    for page in ConsultationPage.objects.live().public().filter(locale__language_code="en")
    .order_by("path")
]
consultation = next((p for p in consultations if p.is_open), None) or next(
    iter(consultations), None
)
print(json.dumps({
    "lesson": lesson.first().get_url() if lesson.exists() else None,
    "thread": thread.get_absolute_url() if thread else None,
    "thread_open": bool(thread and thread.group_id in open_ids),
    "consultation": consultation.get_url() if consultation else None,
    "consultation_open": bool(consultation and consultation.is_open),
}))
"""

CLOSE_BENCH_ROUNDS = """
from django.utils import timezone
from forums.models import DiscussionGroup
now = timezone.now()
DiscussionGroup.objects.filter(forum__slug__startswith="bench-", closes_at__gt=now).update(
    closes_at=now
)
"""


# --- the cluster's Django, in a subprocess ---------------------------------------------------


def cluster_env(cluster: LocalCluster) -> dict[str, str]:
    """This process's environment plus the cluster's (its <state>/env file)."""
    env = dict(os.environ)
    for line in cluster.env_file.read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["LOG_LEVEL"] = "ERROR"
    return env


def django_shell(cluster: LocalCluster, code: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=cluster_env(cluster),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py shell failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def find_pages(cluster: LocalCluster) -> list[tuple[str, str]]:
    found = json.loads(django_shell(cluster, FIND_PAGES).strip().splitlines()[-1])
    missing = [name for name in ("lesson", "thread", "consultation") if not found[name]]
    if missing:
        raise SystemExit(f"No {', '.join(missing)} in the demo content: is the demo loaded?")
    for name in ("thread", "consultation"):
        if not found[f"{name}_open"]:
            print(f"(no open {name} in the demo content: measuring a closed one)")
    return [
        ("home", "/en/"),
        ("lesson", found["lesson"]),
        ("thread", found["thread"]),
        ("consultation", found["consultation"]),
    ]


def static_path(cluster: LocalCluster) -> str:
    """The hashed name that pages link to (collectstatic's manifest), else the plain one."""
    manifest = cluster.state / "public" / "static" / "staticfiles.json"
    if manifest.exists():
        hashed = json.loads(manifest.read_text()).get("paths", {}).get(STATIC)
        if hashed:
            return f"/static/{hashed}"
    return f"/static/{STATIC}"


def check_200(port: int, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} through the proxy answered {response.status}, not 200.")


# --- load ------------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def wrk_threads(connections: int) -> int:
    return max(1, min(os.cpu_count() or 1, connections))


def wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output without {pattern!r}:\n{output}")
        return match

    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return {
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "p50": wrk_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        "p99": wrk_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        "errors": errors,
    }


def measure(port: int, path: str, seconds: float, connections: int) -> dict:
    if WRK:
        command = [
            WRK,
            f"-t{wrk_threads(connections)}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        return parse_wrk(result.stdout)
    from bench.pages import load

    return load(port, path, seconds, connections)


# --- one cluster -----------------------------------------------------------------------------


def run_pages(cluster: LocalCluster, pages: list[tuple[str, str]], args) -> list[dict]:
    port = cluster.port
    static = static_path(cluster)
    for _name, path in [("static", static), *pages]:
        check_200(port, path)
        measure(port, path, 1, min(4, args.connections))  # warm: code, templates, site lookup
    rows = []
    plan = [("static (before)", static), *pages, ("static (after)", static)]
    for name, path in plan:
        figures = measure(port, path, args.seconds, args.connections)
        rows.append({"page": name, "path": path, **figures})
        print(
            f"  {name:16} {figures['rps']:8.0f} req/s  p50 {figures['p50']:7.1f} ms  "
            f"p99 {figures['p99']:7.1f} ms"
            f"{'  errors ' + str(figures['errors']) if figures['errors'] else ''}",
            flush=True,
        )
    baseline = statistics.mean([rows[0]["rps"], rows[-1]["rps"]])
    for row in rows:
        row["ratio"] = row["rps"] / baseline if baseline else float("nan")
    return rows


def run_fanout(cluster: LocalCluster, args) -> dict | None:
    out = cluster.state / "fanout.json"
    out.unlink(missing_ok=True)
    command = [
        str(PYTHON),
        str(ROOT / "bench" / "forums_fanout.py"),
        "--base-url",
        cluster.base_url,
        "--env-file",
        str(cluster.env_file),
        "--worker-pids",
        *[str(worker.pid) for worker in cluster.workers],
        "--clients",
        str(args.fanout_clients),
        "--rates",
        f"{args.fanout_rate:g}",
        "--seconds",
        f"{args.fanout_seconds:g}",
        "--json-out",
        str(out),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in process.stdout:
        print("  | " + line.rstrip(), flush=True)
    process.wait()
    django_shell(cluster, CLOSE_BENCH_ROUNDS)
    if process.returncode or not out.exists():
        print(f"  fan-out failed (exit {process.returncode})", flush=True)
        return None
    return json.loads(out.read_text())[0]


# --- report ----------------------------------------------------------------------------------


def print_pages_table(server: str, results: dict, args) -> None:
    print(f"\n{server}: {args.connections} connections, {args.seconds:g} s per path")
    print(
        f"{'workers':>7}  {'page':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'vs static':>10} {'errors':>7}"
    )
    for workers, rows in results.items():
        for row in rows:
            print(
                f"{workers:>7}  {row['page']:16} {row['rps']:8.0f} {row['p50']:8.1f} "
                f"{row['p99']:8.1f} {row['ratio']:>10.3g} {row['errors']:7d}"
            )
    print("  (vs static: req/s over the mean of the static file's two runs)")
    pages = [row["page"] for row in next(iter(results.values())) if "static" not in row["page"]]
    if len(results) > 1:
        first = next(iter(results))
        print(f"  req/s relative to {first} worker(s):")
        for page in pages:
            base = next(r["rps"] for r in results[first] if r["page"] == page)
            scaled = "  ".join(
                f"{w}: x{next(r['rps'] for r in rows if r['page'] == page) / base:4.2f}"
                for w, rows in results.items()
            )
            print(f"    {page:16} {scaled}")


def print_fanout_table(fanouts: dict, args) -> None:
    print(
        f"\nWebSocket fan-out through the proxy: {args.fanout_clients} readers of one group, "
        f"{args.fanout_rate:g} posts/s for {args.fanout_seconds:g} s, posts through the proxy; "
        "raw = bench/raw_broadcast.py, direct, same readers and rate, same run"
    )
    print(
        f"{'server':8} {'workers':>7} {'p50 ms':>8} {'p99 ms':>8} {'delivered':>15} "
        f"{'raw p50':>8} {'raw p99':>8} {'p50 x':>6} {'p99 x':>6}  readers per worker"
    )
    for (server, workers), pair in fanouts.items():
        if pair is None:
            print(f"{server:8} {workers:>7}  failed (see above)")
            continue
        f, r = pair["forums"], pair["raw"]
        spread = "/".join(str(n) for _k, n in sorted(f.get("spread", {}).items()))
        delivered = f"{f['delivered']}/{f['expected']}"
        if f["duplicates"]:
            delivered += f" dup {f['duplicates']}"
        print(
            f"{server:8} {workers:>7} {f['p50']:8.1f} {f['p99']:8.1f} {delivered:>15} "
            f"{r['p50']:8.1f} {r['p99']:8.1f} {f['p50'] / r['p50']:6.2f} "
            f"{f['p99'] / r['p99']:6.2f}  {spread}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--servers", nargs="+", choices=["daphne", "uvicorn"], default=["daphne", "uvicorn"]
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per path")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/biosafety_bench_cluster"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--port", type=int, default=0, help="the proxy's port (default: free)")
    parser.add_argument(
        "--skip-demo",
        action="store_true",
        help="the database already holds the demo (an earlier run): do not load it again",
    )
    parser.add_argument("--no-fanout", action="store_true", help="pages only")
    parser.add_argument("--fanout-clients", type=int, default=1000)
    parser.add_argument("--fanout-rate", type=float, default=10.0, help="posts per second")
    parser.add_argument("--fanout-seconds", type=float, default=10.0)
    parser.add_argument("--keep-state", action="store_true", help="keep the state folder")
    args = parser.parse_args()

    # 1,000 WebSocket readers on one worker, and nginx's two connections per reader, need more
    # descriptors than the usual 1,024: nginx and the workers inherit this process's limit.
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    port = args.port or free_port()
    state = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    # mkdtemp makes it 0700; as root, nginx's workers run as nobody and must reach the sockets
    # and the public folder inside.
    state.chmod(0o755)
    load_before = os.getloadavg()
    started = time.monotonic()
    generator = (
        f"wrk -t{wrk_threads(args.connections)} -c{args.connections} -d{args.seconds:g}s "
        "--latency (keep-alive, no Accept-Encoding: uncompressed)"
        if WRK
        else f"bench/pages.py load(): {args.connections} Python threads, keep-alive (no wrk)"
    )
    print(
        f"Pages through nginx (deploy/local_cluster.py, access log off) to "
        f"{' and '.join(args.servers)} workers: {', '.join(map(str, args.workers))}\n"
        f"machine: {os.cpu_count()} cores shared with other work; load average before the run "
        f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} (1, 5, 15 min)\n"
        f"load: {generator}; on the same cores as nginx, the workers, PostgreSQL and Redis\n"
        f"database {args.database_url}, Redis {args.redis_url}, settings {SETTINGS}, "
        f"state {state}",
        flush=True,
    )

    pages_results: dict[str, dict[int, list[dict]]] = {}
    fanouts: dict[tuple[str, int], dict | None] = {}
    pages = None
    first = True
    try:
        for server in args.servers:
            pages_results[server] = {}
            for workers in args.workers:
                cluster = LocalCluster(
                    workers_count=workers,
                    port=port,
                    server=server,
                    state=state,
                    database_url=args.database_url,
                    redis_url=args.redis_url,
                    settings_module=SETTINGS,
                    extra_env={"LOG_LEVEL": "ERROR"},
                    access_log=False,
                )
                t0 = time.monotonic()
                # The first start migrates, collects static files and loads the demo; the
                # others start the workers and nginx only.
                with cluster.start(demo=first and not args.skip_demo, prepare=first):
                    print(
                        f"\n{server}, {workers} worker(s): started in "
                        f"{time.monotonic() - t0:.0f} s; load average "
                        f"{os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
                    first = False
                    if pages is None:
                        pages = find_pages(cluster)
                        print("  pages: " + ", ".join(f"{n} {p}" for n, p in pages), flush=True)
                    pages_results[server][workers] = run_pages(cluster, pages, args)
                    if not args.no_fanout:
                        fanouts[server, workers] = run_fanout(cluster, args)
    finally:
        if args.keep_state:
            print(f"(state kept in {state})")
        else:
            shutil.rmtree(state, ignore_errors=True)

    for server, results in pages_results.items():
        print_pages_table(server, results, args)
    if fanouts:
        print_fanout_table(fanouts, args)
    load_after = os.getloadavg()
    print(
        f"\nload average after the run {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}; the run took {(time.monotonic() - started) / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
