"""The worker's own CPU time per request: the minimal POST and the comment POST, each alone on
one daphne worker, with the worker free to use every core and held to one (WORKER_INDEX,
core.cpu_affinity), the four taking turns `--rounds` times.

    .venv/bin/python bench/worker_cpu.py --database-url postgres://postgres@127.0.0.1:5432/NEW \\
        --redis-url redis://127.0.0.1:6379/9 [--seconds 6] [--rounds 2] [--concurrency 8]

Requests/s depend on whatever else the machine runs; the worker's CPU per request (its user +
system time from /proc over the measured seconds, divided by the requests answered) says what
one request costs the worker. No follow-up worker runs: the comments' ids wait in Redis, so
only the answer is measured (bench/pages.py measures it with the follow-up beside it).
Needs PostgreSQL and Redis, as deployed; the database is created, migrated and filled with the
demo content and the benchmark's commenters.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
from bench.pages import SEED, _comment_requests, _django, free_port, run_clients  # noqa: E402
from bench.production import production_env, start_daphne  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(env, data, pinned: bool, kind: str, seconds: float, concurrency: int) -> dict:
    port = free_port()
    daphne = start_daphne(env, port, pinned=pinned)
    try:
        if kind == "comment":
            make, ok = _comment_requests(port, data, concurrency), (302,)
        else:
            make = lambda i, n: ("POST", "/bench/insert/", b"", {"Content-Length": "0"})  # noqa: E731
            ok = (201,)
        run_clients(port, make, 1.5, concurrency, ok=ok)  # warm
        before, started = cpu_seconds(daphne.pid), time.perf_counter()
        result = run_clients(port, make, seconds, concurrency, ok=ok)
        used, elapsed = cpu_seconds(daphne.pid) - before, time.perf_counter() - started
    finally:
        daphne.terminate()
        daphne.wait(10)
    return {
        "rps": result["rps"],
        "errors": result["errors"],
        "cpu_share": used / elapsed,
        "ms_per_request": 1000 * used / max(result["n"], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    from deploy.local_cluster import create_database

    scratch = Path(tempfile.mkdtemp(prefix="bench-cpu-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=args.database_url,
        DATABASE_POOL_SIZE="8",
        REDIS_URL=args.redis_url,
        CONSULTATIONS_FOLLOWUP="worker",
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        **production_env(scratch),
        SECRET_KEY="bench-" + uuid.uuid4().hex,
    )
    create_database(args.database_url)
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            capture_output=True,
        )  # fmt: skip
    data = _django(env, SEED % {"clients": args.concurrency})
    print(f"1 daphne worker, {args.concurrency} clients, {args.seconds:.0f} s each, no follow-up")
    print(f"{'worker':14} {'request':14} {'req/s':>7} {'CPU':>5} {'ms CPU/req':>11} {'errors':>7}")
    costs: dict[tuple, list] = {}
    for _round in range(args.rounds):
        for pinned in (False, True):
            for kind in ("minimal POST", "comment"):
                r = measure(env, data, pinned, kind, args.seconds, args.concurrency)
                costs.setdefault((pinned, kind), []).append(r)
                where = "one core" if pinned else "every core"
                print(
                    f"{where:14} {kind:14} {r['rps']:7.0f} {r['cpu_share']:5.0%} "
                    f"{r['ms_per_request']:11.2f} {r['errors']:7d}"
                )
    for pinned in (False, True):
        rps = {
            kind: sum(r["rps"] for r in costs[(pinned, kind)])
            for kind in ("minimal POST", "comment")
        }
        print(
            f"{'one core' if pinned else 'every core'}: comment POST / minimal POST "
            f"{rps['comment'] / rps['minimal POST']:.2f} over {args.rounds} round(s)"
        )


if __name__ == "__main__":
    main()
