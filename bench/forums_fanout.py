"""Fan-out latency of the forums' live updates, next to a raw asyncio broadcast server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/biosafety_bench \
    REDIS_URL=redis://127.0.0.1:6379/3 \
    .venv/bin/python bench/forums_fanout.py [--clients 100 500 1000] [--rates 2 10] [--repeat 5]

For each number of clients: 2 daphne workers on PostgreSQL + Redis (bench/live_settings.py:
the site's settings, DEBUG off, plus a publish time stamp in each event), that many anonymous
WebSocket readers of one discussion group spread evenly over the two workers, and replies
posted over HTTP (alternately through each worker, open loop) at each rate. Latency is from
the moment the reply's service published the event (inside its transaction, just before
commit) to its arrival at a reader. Each forums run is followed at once by the same number of
readers and the same rate on bench/raw_broadcast.py (a minimal `websockets` broadcast server:
no framework, no layer, no database), with events of the same size, so that both see the same
machine.

Prints, per run: p50/p99 latency, deliveries received vs expected, server CPU per delivered
message (the daphne workers' user+system time minus what the same posts cost with no reader,
measured first; the raw server's own time), memory per connection
(RSS growth of the server processes while the readers connect), and the ratios to raw.
Figures depend on the machine and on what else runs on it: compare ratios, not absolutes.
The readers and the publisher run in this process, on the same cores as the servers; its
garbage collector does not run during a measured run (it paused the readers' clock for 0.3 s
with 1,000 readers, on either target, and decided the p99).

Through a proxy instead (bench/cluster_pages.py does this for 1, 2 and 4 workers): given a
running cluster of deploy/local_cluster.py started with settings_module="bench.live_settings",

    .venv/bin/python bench/forums_fanout.py --base-url http://127.0.0.1:8080 \
        --env-file .cluster/env --worker-pids 1234 1235 --clients 1000 --rates 10 --seconds 10

starts no worker: readers and posts all go through the proxy's one address (nginx spreads the
readers over the workers; the spread is printed, from nginx's X-Upstream header), this process
uses the cluster's database, Redis and SECRET_KEY from its environment file, and CPU and
memory are those of the given worker processes. The raw server still runs here, direct.
"""

import argparse
import asyncio
import collections
import contextlib
import gc
import http.client
import itertools
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cluster import Cluster, free_port  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
EVENT_SIZE = 560  # bytes of a post.created event for a ~200-character reply (measured)
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- process figures (Linux /proc) ----------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


# --- readers -------------------------------------------------------------------------------


@dataclass
class Readers:
    """N WebSocket clients; each records (arrival time, raw text) and parses nothing live."""

    sockets: list = field(default_factory=list)
    inbox: list[list[tuple[float, str]]] = field(default_factory=list)
    tasks: list = field(default_factory=list)
    closed: list = field(default_factory=list)  # close codes of readers the server dropped

    async def open(self, urls: list[str], origin_of, on_open=None) -> None:
        from websockets.asyncio.client import connect

        async def one(index, url):
            socket = await connect(
                url,
                origin=origin_of(url),
                open_timeout=60,
                ping_interval=None,
                max_queue=None,
                compression=None,  # browsers offer deflate, but daphne does not compress
            )
            if on_open is not None:
                await on_open(socket)
            self.sockets[index] = socket

        self.sockets = [None] * len(urls)
        self.inbox = [[] for _ in urls]
        pending = [one(i, url) for i, url in enumerate(urls)]
        for start in range(0, len(pending), 50):  # in batches: no SYN flood on a shared box
            await asyncio.gather(*pending[start : start + 50])
        self.tasks = [asyncio.create_task(self._read(i, s)) for i, s in enumerate(self.sockets)]

    async def _read(self, index, socket) -> None:
        box = self.inbox[index]
        clock = time.time
        try:
            async for message in socket:
                box.append((clock(), message))
        except Exception:  # noqa: S110 - a dropped reader shows up as missing deliveries
            pass
        self.closed.append(socket.close_code)

    def reset(self) -> None:
        for box in self.inbox:
            box.clear()
        self.closed.clear()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(s.close() for s in self.sockets if s), return_exceptions=True)


def measure(readers: Readers, sent_ids: set, id_of) -> dict:
    """Latencies of the deliveries of `sent_ids`; duplicates and strays counted apart."""
    latencies, fanout, duplicates = [], [], 0
    for box in readers.inbox:
        seen = set()
        for arrived, text in box:
            event = json.loads(text)
            key = id_of(event)
            if key not in sent_ids:
                continue
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            latencies.append((arrived - event["sent_at"]) * 1000)
            if "committed_at" in event:
                fanout.append((arrived - event["committed_at"]) * 1000)
    latencies.sort()
    fanout.sort()
    return {
        "delivered": len(latencies),
        "expected": len(sent_ids) * len(readers.inbox),
        "duplicates": duplicates,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": _p99(latencies),
        # The forums' events only: from the hand-off to the channel layer after the commit.
        "fanout_p50": statistics.median(fanout) if fanout else None,
        "fanout_p99": _p99(fanout) if fanout else None,
    }


def _p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else float("nan")


async def paced(rate: float, seconds: float, send) -> None:
    """Open loop: start one send every 1/rate s, whether or not the previous one finished."""
    count = int(rate * seconds)
    start = time.monotonic()
    tasks = []
    for n in range(count):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(send(n)))
    await asyncio.gather(*tasks)


# --- the forums side -----------------------------------------------------------------------


def django_setup(values: dict[str, str]) -> None:
    os.environ.update(values)
    import django

    django.setup()


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as deploy/local_cluster.py writes them to <state>/env."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def server_env(secret: str) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",  # as in production
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "LOG_LEVEL": "ERROR",
    }


def ensure_database(database_url: str) -> None:
    """Create the benchmark's database if needed, then migrate it."""
    from deploy.local_cluster import create_database

    create_database(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ},
        check=True,
    )


def forum_world() -> dict:
    """A fresh open, post-moderated group with one thread and one signed-in author."""
    from django.test import Client

    from tests.forums.factories import make_forum, make_group, make_participant, make_thread

    tag = uuid.uuid4().hex[:8]
    forum = make_forum(title=f"Bench {tag}", slug=f"bench-{tag}")
    group = make_group(forum=forum)
    author = make_participant(forum, email=f"bench-{tag}@example.org")
    thread = make_thread(group, author)
    client = Client()
    client.force_login(author)
    return {"group": group.pk, "thread": thread.pk, "session": client.cookies["sessionid"].value}


def post_reply(port: int, world: dict, body: str) -> bool:
    token = secrets.token_hex(16)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            f"/en/forums/groups/{world['group']}/threads/{world['thread']}/reply/",
            # Each reply is a new form: a new one-use token (core.submissions).
            body=urlencode(
                {"body": body, "token": str(uuid.uuid4()), "csrfmiddlewaretoken": token}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={world['session']}; csrftoken={token}",
                "Origin": f"http://127.0.0.1:{port}",
            },
        )
        return conn.getresponse().status in (302, 303)
    finally:
        conn.close()


_replies = itertools.count(1)


def reply_body(_n: int) -> str:
    # ~200 characters, as in the measurement; never the same twice (the forums refuse
    # a double submit of the same text)
    return (
        f"Reply {next(_replies)}: under Article 23 the Parties promote public awareness and "
        "participation concerning the safe transfer, handling and use of living modified "
        "organisms; "
        "access to information matters."
    )


class ForumsTarget:
    """Readers of one discussion group on 2 daphne workers (or behind a proxy); replies posted
    over HTTP."""

    name = "forums hub"

    def __init__(self, args, world, endpoints, pids, pool):
        self.args, self.world, self.pool = args, world, pool
        # (HTTP port, WebSocket base URL) of each worker, or of the proxy alone
        self.endpoints = endpoints
        self.pids = pids  # the worker processes, for CPU and memory (none: not measured)
        self.posting_cpu: dict[float, float] = {}
        self.sample = ""
        self.spread: collections.Counter = collections.Counter()

    def _cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.pids) if self.pids else float("nan")

    def _rss(self) -> float:
        return sum(rss_bytes(p) for p in self.pids) if self.pids else float("nan")

    def _post(self, n: int):
        port = self.endpoints[n % len(self.endpoints)][0]  # alternately through each worker
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self.pool, post_reply, port, self.world, reply_body(n))

    async def _publish(self, rate: float, statuses: list) -> float:
        async def send(n):
            statuses.append(await self._post(n))

        before = self._cpu()
        await paced(rate, self.args.seconds, send)
        await asyncio.sleep(self.args.drain)
        return self._cpu() - before

    async def prepare(self) -> None:
        # Warm the workers up (first requests load code and templates), then measure what
        # posting alone costs at each rate with no reader: subtracted to give the fan-out's CPU.
        await paced(4, 2, self._post)
        for rate in self.args.rates:
            self.posting_cpu[rate] = await self._publish(rate, [])

    async def connect(self, clients: int) -> tuple[Readers, float]:
        path = f"/ws/forums/groups/{self.world['group']}/"
        urls = [self.endpoints[i % len(self.endpoints)][1] + path for i in range(clients)]
        before = self._rss()
        self.spread.clear()

        async def caught_up(socket):
            # which worker the proxy chose (its X-Upstream header); None without a proxy
            self.spread[socket.response.headers.get("X-Upstream")] += 1
            await socket.send(json.dumps({"type": "catch_up", "after": 2**40}))
            while json.loads(await socket.recv())["type"] not in ("caught_up", "reload"):
                pass

        readers = Readers()
        await readers.open(urls, lambda u: "http://" + urlparse(u).netloc, caught_up)
        await asyncio.sleep(1)
        memory = (self._rss() - before) / clients
        if None not in self.spread:
            print(f"  readers per worker: {dict(sorted(self.spread.items()))}", flush=True)
        await paced(4, 1, self._post)  # a few unmeasured posts: every socket path is warm
        await asyncio.sleep(1)
        return readers, memory

    async def run(self, readers: Readers, clients: int, rate: float, memory: float) -> dict:
        readers.reset()
        statuses: list[bool] = []
        cpu = await self._publish(rate, statuses)
        # what was sent: the seq of every reply any reader saw (a reply no reader saw counts
        # as missing through `expected`, from the successful POSTs)
        seqs = set()
        for box in readers.inbox:
            for _, text in box:
                event = json.loads(text)
                if event["type"] == "post.created":
                    seqs.add(event["seq"])
        figures = measure(readers, seqs, lambda e: e.get("seq"))
        figures["expected"] = statuses.count(True) * clients
        figures["failed_posts"] = statuses.count(False)
        if readers.closed:
            print(f"  readers closed by the server: {collections.Counter(readers.closed)}")
        self.sample = self.sample or next((t for _, t in readers.inbox[0]), "")
        return {
            "server": self.name,
            "clients": clients,
            "rate": rate,
            "cpu": cpu,
            "fanout_cpu": max(cpu - self.posting_cpu.get(rate, 0.0), 0.0)
            if self.pids
            else float("nan"),
            "memory": memory,
            "spread": {str(k): v for k, v in self.spread.items()},
            **figures,
        }

    async def close(self) -> None:
        pass


class RawTarget:
    """bench/raw_broadcast.py in a subprocess; a publisher connection sends same-size events."""

    name = "raw asyncio"

    def __init__(self, args, sample_size: int):
        self.args, self.sample_size = args, sample_size
        self.port = free_port()
        self.server = None
        self.publisher = None

    async def prepare(self) -> None:
        from websockets.asyncio.client import connect

        self.server = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "raw_broadcast.py"), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.publisher = await connect(
                    f"ws://127.0.0.1:{self.port}/publish", ping_interval=None, compression=None
                )
                return
            except OSError:
                await asyncio.sleep(0.1)
        raise RuntimeError("the raw broadcast server did not start")

    async def connect(self, clients: int) -> tuple[Readers, float]:
        before = rss_bytes(self.server.pid)
        readers = Readers()
        await readers.open([f"ws://127.0.0.1:{self.port}/r"] * clients, lambda u: None)
        await asyncio.sleep(1)
        return readers, (rss_bytes(self.server.pid) - before) / clients

    async def run(self, readers: Readers, clients: int, rate: float, memory: float) -> dict:
        readers.reset()
        ids = set()
        pad = "x" * max(0, self.sample_size - 80)

        async def send(n):
            key = f"{rate}-{n}-{uuid.uuid4().hex[:6]}"
            ids.add(key)
            event = {"type": "post.created", "id": key, "sent_at": time.time(), "pad": pad}
            await self.publisher.send(json.dumps(event))

        before = cpu_seconds(self.server.pid)
        await paced(rate, self.args.seconds, send)
        await asyncio.sleep(self.args.drain)
        cpu = cpu_seconds(self.server.pid) - before
        figures = measure(readers, ids, lambda e: e.get("id"))
        return {
            "server": self.name,
            "clients": clients,
            "rate": rate,
            "cpu": cpu,
            "memory": memory,
            "failed_posts": 0,
            **figures,
        }

    async def close(self) -> None:
        if self.publisher is not None:
            await self.publisher.close()
        if self.server is not None:
            self.server.terminate()
            self.server.wait(10)


@contextlib.contextmanager
def no_collection_pauses():
    """The readers' clock runs in this process: a full collection of its heap (about 0.3 s
    with 1,000 readers, every message they received kept) would count as the server's
    latency, on whichever target it fell. No collection during a run; one before it, and what
    was there is set aside (gc.freeze) so that the run starts from a small young heap."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def compare(args, forums: ForumsTarget, raw: RawTarget) -> list[tuple[dict, dict]]:
    """For each number of readers, both servers' readers connected at once; for each rate,
    the forums run and the raw run back to back, so both see the same machine."""
    pairs = []
    for clients in args.clients:
        forum_readers, forum_memory = await forums.connect(clients)
        raw_readers, raw_memory = await raw.connect(clients)
        for rate in args.rates:
            # Repeated back to back (forums, raw, forums, raw, …): a hiccup of the shared cores
            # lands on one pair, and the median pair shows what the hub costs.
            for _ in range(args.repeat):
                with no_collection_pauses():
                    f = await forums.run(forum_readers, clients, rate, forum_memory)
                print(line(f), flush=True)
                with no_collection_pauses():
                    r = await raw.run(raw_readers, clients, rate, raw_memory)
                print(line(r), flush=True)
                pairs.append((f, r))
        await forum_readers.close()
        await raw_readers.close()
        await asyncio.sleep(1)
    return pairs


def line(r: dict) -> str:
    per = r.get("fanout_cpu", r["cpu"]) / r["delivered"] * 1e6 if r["delivered"] else float("nan")
    return (
        f"{r['server']:<12} {r['clients']:>5} clients {r['rate']:>3}/s  "
        f"p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
        f"{fanout_note(r)}"
        f"delivered {r['delivered']}/{r['expected']}"
        f"{' dup ' + str(r['duplicates']) if r['duplicates'] else ''}"
        f"{' failed posts ' + str(r['failed_posts']) if r['failed_posts'] else ''}  "
        f"CPU {per:6.1f} µs/delivery{cpu_note(r)}  memory {r['memory'] / 1024:6.1f} KiB/connection"
    )


def fanout_note(r: dict) -> str:
    if r.get("fanout_p99") is None:
        return ""
    return f"(after commit: p50 {r['fanout_p50']:6.1f}, p99 {r['fanout_p99']:6.1f})  "


def cpu_note(r: dict) -> str:
    if "fanout_cpu" not in r:
        return ""
    total = r["cpu"] / r["delivered"] * 1e6 if r["delivered"] else float("nan")
    return f" ({total:.0f} with the HTTP posts)"


def ratios(pairs: list[tuple[dict, dict]]) -> None:
    print("\nratios (forums hub / raw asyncio), target: all delivered, p99 <= 2x raw")
    for f, r in pairs:
        cpu_f = f["fanout_cpu"] / max(f["delivered"], 1)
        cpu_r = r["cpu"] / max(r["delivered"], 1)
        complete = f["delivered"] == f["expected"] and not f["duplicates"]
        verdict = "on target" if complete and f["p99"] <= 2 * r["p99"] else "over target"
        print(
            f"{f['clients']:>5} clients {f['rate']:>3}/s  p50 x{f['p50'] / r['p50']:5.2f}  "
            f"p99 x{f['p99'] / r['p99']:5.2f}  CPU/delivery x{cpu_f / max(cpu_r, 1e-9):5.2f}  "
            f"memory/conn x{f['memory'] / max(r['memory'], 1):5.2f}  "
            f"delivered {f['delivered']}/{f['expected']}  {verdict}"
        )
    series = collections.defaultdict(list)
    for f, r in pairs:
        after_commit = (f["fanout_p99"] or float("nan")) / r["p99"]
        series[(f["clients"], f["rate"])].append((f["p99"] / r["p99"], after_commit))
    print(
        "\np99 ratio per readers and rate, median of the pairs (min–max): from the publish in "
        "the transaction, and from the hand-off after the commit (the raw server's clock starts "
        "at its send)"
    )
    for (clients, rate), values in series.items():
        print(
            f"{clients:>5} clients {rate:>3}/s  {len(values)} pair(s)  "
            f"from publish x{_spread([v[0] for v in values])}  "
            f"after commit x{_spread([v[1] for v in values])}"
        )


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):5.2f} ({min(values):.2f}–{max(values):.2f})"


async def main_async(args) -> None:
    if args.base_url:
        await through_proxy(args)
        return
    secret = secrets.token_urlsafe(40)
    django_setup(
        {
            "DJANGO_SETTINGS_MODULE": "bench.live_settings",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            **server_env(secret),
        }
    )
    from asgiref.sync import sync_to_async

    ensure_database(args.database_url)
    world = await sync_to_async(forum_world)()
    print(
        f"2 daphne workers{'' if args.no_pin else ', one core each'} on PostgreSQL "
        f"(pool of {args.pool} connections per worker) + Redis; "
        f"{args.seconds:.0f} s per rate; "
        f"readers and publisher in this process; {os.cpu_count()} cores shared with other work"
    )
    cluster = Cluster(
        2,
        database_url=args.database_url,
        redis_url=args.redis_url,
        settings_module="bench.live_settings",
        cache_key_prefix=f"bench-{uuid.uuid4().hex[:6]}",
        # As deployed (deploy/env.example): a pool of connections per worker, not a new
        # PostgreSQL backend forked for every reply posted.
        extra_env={**server_env(secret), "DATABASE_POOL_SIZE": str(args.pool)},
        pin=not args.no_pin,
    )
    with cluster, ThreadPoolExecutor(16) as pool:
        endpoints = [(w.port, w.ws_url) for w in cluster.workers]
        forums = ForumsTarget(args, world, endpoints, [w.pid for w in cluster.workers], pool)
        await run_both(args, forums)


async def through_proxy(args) -> None:
    """Readers and posts through a running cluster's proxy (deploy/local_cluster.py)."""
    values = read_env_file(args.env_file)
    if values.get("DJANGO_SETTINGS_MODULE") != "bench.live_settings":
        raise SystemExit(
            "The cluster must run bench.live_settings (its events carry the publish time)."
        )
    django_setup({**values, "LOG_LEVEL": "ERROR"})
    from asgiref.sync import sync_to_async

    world = await sync_to_async(forum_world)()
    base = urlparse(args.base_url)
    print(
        f"through the proxy at {args.base_url} ({len(args.worker_pids) or '?'} worker(s)); "
        f"{args.seconds:.0f} s per rate; readers and publisher in this process; "
        f"{os.cpu_count()} cores shared with other work"
    )
    with ThreadPoolExecutor(16) as pool:
        endpoints = [(base.port, f"ws://{base.netloc}")]
        forums = ForumsTarget(args, world, endpoints, args.worker_pids, pool)
        await run_both(args, forums)


async def run_both(args, forums: ForumsTarget) -> None:
    await forums.prepare()
    raw = RawTarget(args, EVENT_SIZE)
    await raw.prepare()
    try:
        pairs = await compare(args, forums, raw)
    finally:
        await raw.close()
    print(f"(forum event size: {len(forums.sample.encode())} bytes; raw events: ~{EVENT_SIZE})")
    ratios(pairs)
    if args.json_out:
        args.json_out.write_text(json.dumps([{"forums": f, "raw": r} for f, r in pairs]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--rates", type=float, nargs="+", default=[2, 10])
    parser.add_argument("--seconds", type=float, default=6.0, help="publishing time per rate")
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="let the workers run on every core (deployed, each holds to one: core.cpu_affinity)",
    )
    parser.add_argument(
        "--pool",
        type=int,
        default=8,
        help="the workers' DATABASE_POOL_SIZE (deploy/env.example's 8; 0: a new connection "
        "per request)",
    )
    parser.add_argument("--drain", type=float, default=3.0, help="wait for stragglers")
    parser.add_argument(
        "--repeat", type=int, default=1, help="forums/raw pairs per rate, run alternately"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument(
        "--base-url",
        help="a running cluster's proxy, e.g. http://127.0.0.1:8080: readers and posts go "
        "through it, and no worker is started here (needs --env-file)",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        help="with --base-url: the cluster's environment file (<state>/env), for its "
        "database, Redis and SECRET_KEY",
    )
    parser.add_argument(
        "--worker-pids",
        type=int,
        nargs="*",
        default=[],
        help="with --base-url: the workers' process ids, for CPU and memory per connection",
    )
    parser.add_argument("--json-out", type=Path, help="also write the figures there, as JSON")
    args = parser.parse_args()
    if args.base_url:
        if not args.env_file or not args.env_file.exists():
            parser.error("--base-url needs the cluster's --env-file")
    elif not args.database_url.startswith("postgres") or not args.redis_url:
        parser.error(
            "needs a PostgreSQL DATABASE_URL and REDIS_URL (or --database-url/--redis-url)"
        )
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
