"""Start N daphne workers of the site on one database and one Redis, as production runs them.

Used by the live hub's Redis test and by the benchmarks in bench/ that talk to each worker
directly; the production topology, with nginx in front, is deploy/local_cluster.py:

    with Cluster(2, database_url=..., redis_url=...) as cluster:
        a, b = cluster.workers
        ...                       # HTTP to a.base_url, WebSocket to a.ws_url + path
        cluster.kill(1)           # SIGKILL: a worker dying mid-flight, not a clean stop

Each worker listens on its own free port on 127.0.0.1; `start()` returns once every worker's
/health/ answers 200. Workers log to files in `workdir` (shown when one fails to start).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy.local_cluster import free_port, log_tail

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtualenv's bin/, which holds daphne too
START_TIMEOUT = 60.0


def shared_database_url() -> str:
    """The PostgreSQL database pytest-django set up, as a URL for worker processes to share."""
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return (
        f"postgres://{quote(s['USER'] or '')}{password}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


class ClusterError(RuntimeError):
    pass


@dataclass
class Worker:
    index: int
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


@dataclass
class Cluster:
    size: int
    database_url: str
    redis_url: str
    settings_module: str = "config.settings"
    cache_key_prefix: str = "cluster"
    extra_env: dict[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    workers: list[Worker] = field(default_factory=list)
    # Each worker held to one core, as deployed (core.cpu_affinity): for benchmarks.
    pin: bool = False

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            CACHE_KEY_PREFIX=self.cache_key_prefix,
            # tests/ and bench/ settings modules import from the repository root
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> "Cluster":
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="cluster-"))
        env = self.env()
        for index in range(self.size):
            worker = Worker(index, free_port(), self.workdir / f"daphne-{index}.log")
            self.workers.append(worker)
            self._spawn(worker, env)
        for worker in self.workers:
            self._wait_healthy(worker)
        return self

    def _spawn(self, worker: Worker, env: dict[str, str]) -> None:
        with worker.log.open("ab") as log:
            worker.process = subprocess.Popen(
                [
                    str(BIN / "daphne"),
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(worker.port),
                    "config.asgi:application",
                ],
                cwd=REPO_ROOT,
                env={**env, "WORKER_INDEX": str(worker.index + 1) if self.pin else ""},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # our own process group: signals reach only it
            )

    def _wait_healthy(self, worker: Worker) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer yet"
        while time.monotonic() < deadline:
            if not worker.alive:
                raise ClusterError(
                    f"daphne {worker.index} exited with {worker.process.returncode}:\n"
                    + log_tail(worker.log)
                )
            try:
                url = worker.base_url + "/health/"
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - ours
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.2)
        raise ClusterError(
            f"daphne {worker.index} did not answer /health/ within {START_TIMEOUT}s ({last}):\n"
            + log_tail(worker.log)
        )

    def kill(self, index: int) -> None:
        """SIGKILL one worker: its sockets drop without a close frame, as in a crash."""
        worker = self.workers[index]
        if worker.alive:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(10)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.alive:
                os.killpg(worker.process.pid, signal.SIGTERM)
        for worker in self.workers:
            if worker.process is None:
                continue
            try:
                worker.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(worker.process.pid, signal.SIGKILL)
                worker.process.wait(10)

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


class PrivateRedis:
    """A redis-server of a test's own on a free port (never the shared one), to restart at will."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
