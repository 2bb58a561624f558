"""The production topology on this machine: nginx in front of N workers (daphne, or uvicorn as
the measured alternative) on unix sockets, on the local PostgreSQL and Redis.

    deploy/local-cluster start --workers 2 [--port 8080] [--server uvicorn] [--demo]
    deploy/local-cluster status
    deploy/local-cluster restart          # rolling: one worker at a time, the site stays up
    deploy/local-cluster stop

The site runs in production mode (DJANGO_DEBUG=0, collected static files, the same nginx
locations as deploy/nginx/biosafety.conf) but over plain HTTP on 127.0.0.1. Everything it
writes (the environment file, sockets, logs, static files, uploads, mail) lives in the state
folder, `.cluster/` by default. Tests and benchmarks drive the same code through LocalCluster.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
DEFAULT_STATE = REPO / ".cluster"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/biosafety_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
# How long a started worker has to answer /health/ (it answers within seconds; a worker once
# took 70 s here, when one probe given up by its client made the next ones time out, since
# fixed in core.health).
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
FAIL_TIMEOUT = 2  # seconds nginx leaves out a worker that refused a connection
SERVERS = ("daphne", "uvicorn")


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own child, killed but not yet reaped) is not alive.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a worker's unix socket, to check a worker directly, without the proxy."""

    def __init__(self, path: Path, timeout: float = 2.0):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = str(path)

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def health(connection: http.client.HTTPConnection, host: str) -> tuple[int, dict]:
    try:
        connection.request("GET", "/health/", headers={"Host": host})
        response = connection.getresponse()
        body = response.read()
        return response.status, json.loads(body or b"{}")
    except (OSError, http.client.HTTPException, ValueError):
        return 0, {}
    finally:
        connection.close()


# --- nginx -------------------------------------------------------------------------------


def nginx_binary(install: bool = True) -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if not install:
        raise ClusterError("nginx is not installed (apt-get install nginx).")
    if os.geteuid() != 0:
        raise ClusterError("nginx is missing: run `sudo apt-get install nginx`, or run as root.")
    print("Installing nginx (Debian package)…", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # Keep the package from starting the system-wide nginx on port 80: we run our own.
    policy = Path("/usr/sbin/policy-rc.d")
    own_policy = not policy.exists()
    if own_policy:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"],
            check=True,
            env=env,
        )
    finally:
        if own_policy:
            policy.unlink(missing_ok=True)
    return nginx_binary(install=False)


def nginx_user_line(state: Path) -> str:
    """As root, nginx's workers run as nobody, if nobody can reach the sockets (daphne and
    uvicorn make them 0666) and read the public folder; a state folder under a private
    directory (pytest's temporary folders are 0700) leaves them running as root, on loopback."""
    if os.geteuid() != 0:
        return ""  # nginx keeps our own user
    reachable = all(
        folder.stat().st_mode & 0o001 for folder in [state, *state.parents] if folder.exists()
    )
    return "user nobody nogroup;" if reachable else "user root;"


def render_nginx_conf(
    *, state: Path, port: int, sockets: list[Path], access_log: bool, processes: int
) -> str:
    template = (REPO / "deploy" / "nginx" / "local.conf.template").read_text()
    servers = "\n".join(
        f"        server unix:{path} max_fails=1 fail_timeout={FAIL_TIMEOUT}s;" for path in sockets
    )
    values = {
        "STATE": str(state),
        "PORT": str(port),
        "PUBLIC": str(state / "public"),
        "REPO": str(REPO),
        "UPSTREAM_SERVERS": servers,
        "ACCESS_LOG": f"{state / 'log' / 'nginx-access.log'} combined buffer=64k"
        if access_log
        else "off",
        "NGINX_WORKERS": str(processes),
        "USER": nginx_user_line(state),
    }
    for name, value in values.items():
        template = template.replace(f"@@{name}@@", value)
    return template


# --- the cluster ---------------------------------------------------------------------------


@dataclass
class Worker:
    index: int
    socket: str
    log: str
    pid: int | None = None

    @property
    def alive(self) -> bool:
        return alive(self.pid)


@dataclass
class LocalCluster:
    workers_count: int = 2
    port: int = 8080
    server: str = "daphne"
    state: Path = DEFAULT_STATE
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    settings_module: str = "config.settings"
    extra_env: dict[str, str] = field(default_factory=dict)
    access_log: bool = True
    workers: list[Worker] = field(default_factory=list)
    nginx_pid: int | None = None

    # --- addresses ---

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def state_file(self) -> Path:
        return self.state / "cluster.json"

    @property
    def env_file(self) -> Path:
        return self.state / "env"

    # --- state on disk, so that `stop` finds what `start` began ---

    def save(self) -> None:
        data = {
            "workers_count": self.workers_count,
            "port": self.port,
            "server": self.server,
            "database_url": self.database_url,
            "redis_url": self.redis_url,
            "settings_module": self.settings_module,
            "extra_env": self.extra_env,
            "access_log": self.access_log,
            "nginx_pid": self.nginx_pid,
            "workers": [asdict(worker) for worker in self.workers],
        }
        self.state_file.write_text(json.dumps(data, indent=2))

    @classmethod
    def load(cls, state: Path) -> LocalCluster:
        path = state / "cluster.json"
        if not path.exists():
            raise ClusterError(f"No cluster recorded in {state} (start one first).")
        data = json.loads(path.read_text())
        workers = [Worker(**worker) for worker in data.pop("workers")]
        return cls(state=state, workers=workers, **data)

    # --- environment ---

    def environment(self) -> dict[str, str]:
        """The production settings for this machine, written to state/env as well."""
        secret_file = self.state / "secret_key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        origins = f"http://127.0.0.1:{self.port},http://localhost:{self.port}"
        values = {
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": secret_file.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": origins,
            "SITE_URL": self.base_url,
            "DATABASE_URL": self.database_url,
            # deploy/env.example's pool: each worker keeps its connections (docs/deploy.md)
            "DATABASE_POOL_SIZE": "8",
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": f"cluster-{self.port}",
            "STATIC_ROOT": str(self.state / "public" / "static"),
            "MEDIA_ROOT": str(self.state / "public" / "media"),
            "CONSULTATIONS_PRIVATE_ROOT": str(self.state / "private"),
            "EMAIL_FILE_PATH": str(self.state / "mail"),
            # Plain HTTP on the loopback: no TLS, so no HTTPS redirect, secure cookies or HSTS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
            **self.extra_env,
        }
        self.env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
        self.env_file.chmod(0o600)
        env = dict(os.environ)
        env.update(values)
        # Settings modules in tests/ and bench/ import from the repository root.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        return env

    # --- start ---

    def start(self, *, demo: bool = False, prepare: bool = True) -> LocalCluster:
        if self.state_file.exists():
            running = LocalCluster.load(self.state)
            if alive(running.nginx_pid) or any(w.alive for w in running.workers):
                raise ClusterError(
                    f"A cluster is already running from {self.state} on port {running.port}: "
                    "`deploy/local-cluster stop` first."
                )
        if self.server not in SERVERS:
            raise ClusterError(f"--server must be one of {', '.join(SERVERS)}.")
        if urlparse(self.database_url).scheme not in {"postgres", "postgresql"}:
            raise ClusterError("The cluster's workers share one database: give a PostgreSQL URL.")
        nginx = nginx_binary()
        self._ensure_server_installed()
        for folder in ("log", "run", "nginx", "public/static", "public/media", "private", "mail"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        env = self.environment()
        if prepare:
            self._prepare(env, demo=demo)
        self.workers = [
            Worker(
                index=index,
                socket=str(self.state / "run" / f"worker-{index}.sock"),
                log=str(self.state / "log" / f"worker-{index}.log"),
            )
            for index in range(1, self.workers_count + 1)
        ]
        try:
            for worker in self.workers:
                self._spawn(worker, env)
            self.save()
            for worker in self.workers:
                self._wait_worker(worker)
            self._start_nginx(nginx)
            self.save()
            self._wait_proxy()
        except BaseException:
            self.stop()
            raise
        return self

    def _ensure_server_installed(self) -> None:
        if not (BIN / self.server).exists():
            print(f"Installing {self.server} (pip install -e '.[uvicorn]')…", flush=True)
            subprocess.run(
                [str(BIN / "pip"), "install", "--quiet", "-e", f"{REPO}[uvicorn]"], check=True
            )

    def _prepare(self, env: dict[str, str], *, demo: bool) -> None:
        """What a release does: the database, migrations, static files, the proxy's pages."""
        create_database(self.database_url)
        manage = [str(BIN / "python"), str(REPO / "manage.py")]
        steps = [
            ["migrate", "--noinput"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["build_error_pages"],
        ]
        if demo:
            steps.append(["load_demo"])
        for step in steps:
            result = subprocess.run(
                manage + step, cwd=REPO, env=env, capture_output=True, text=True
            )
            if result.returncode:
                raise ClusterError(
                    f"manage.py {' '.join(step)} failed:\n{result.stdout}\n{result.stderr}"
                )

    def command(self, worker: Worker) -> list[str]:
        if self.server == "uvicorn":
            return [
                str(BIN / "uvicorn"),
                "--uds",
                worker.socket,
                "--proxy-headers",
                "--forwarded-allow-ips",
                "*",
                "--ws-ping-interval",
                "20",
                "--ws-ping-timeout",
                "30",
                "--no-access-log",
                "config.asgi:application",
            ]
        return [
            str(BIN / "daphne"),
            "-u",
            worker.socket,
            "--proxy-headers",
            "--ping-interval",
            "20",
            "--ping-timeout",
            "30",
            "--application-close-timeout",
            "10",
            "config.asgi:application",
        ]

    def _spawn(self, worker: Worker, env: dict[str, str] | None = None) -> None:
        Path(worker.socket).unlink(missing_ok=True)
        # As systemd's unit does: each worker holds to one core (core.cpu_affinity).
        env = {**(env or self.environment()), "WORKER_INDEX": str(worker.index)}
        with open(worker.log, "ab") as log:
            process = subprocess.Popen(
                self.command(worker),
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: signals reach only it
            )
        worker.pid = process.pid

    def _wait_worker(self, worker: Worker) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not worker.alive:
                raise ClusterError(f"Worker {worker.index} exited:\n{log_tail(Path(worker.log))}")
            if Path(worker.socket).exists():
                status, _body = health(UnixHTTPConnection(Path(worker.socket)), "localhost")
                if status == 200:
                    return
            time.sleep(0.2)
        raise ClusterError(
            f"Worker {worker.index} did not answer /health/ within {START_TIMEOUT:.0f} s:\n"
            + log_tail(Path(worker.log))
        )

    def _start_nginx(self, nginx: str) -> None:
        conf = self.state / "nginx.conf"
        conf.write_text(
            render_nginx_conf(
                state=self.state,
                port=self.port,
                sockets=[Path(worker.socket) for worker in self.workers],
                access_log=self.access_log,
                processes=2,
            )
        )
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.state / "nginx" / folder).mkdir(parents=True, exist_ok=True)
        check = subprocess.run([nginx, "-t", "-q", "-c", str(conf)], capture_output=True, text=True)
        if check.returncode:
            raise ClusterError(f"nginx refused its configuration:\n{check.stderr}")
        subprocess.run([nginx, "-c", str(conf)], check=True)
        pid_file = self.state / "nginx.pid"
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.nginx_pid = int(pid_file.read_text()) if pid_file.exists() else None

    def _wait_proxy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            status, _body = health(
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=2), "127.0.0.1"
            )
            if status == 200:
                return
            time.sleep(0.1)
        raise ClusterError(
            f"nginx on port {self.port} does not answer:\n"
            + log_tail(self.state / "log" / "nginx-error.log")
        )

    # --- running ---

    def status(self) -> dict:
        proxy_status, body = health(
            http.client.HTTPConnection("127.0.0.1", self.port, timeout=3), "127.0.0.1"
        )
        return {
            "url": self.base_url,
            "server": self.server,
            "nginx": "running" if alive(self.nginx_pid) else "stopped",
            "health": body or f"no answer (HTTP {proxy_status})",
            "workers": {
                worker.index: "running" if worker.alive else "stopped" for worker in self.workers
            },
        }

    def kill_worker(self, index: int, sig: int = signal.SIGKILL) -> None:
        """Signal one worker (SIGKILL by default: its sockets drop without a close frame)."""
        worker = self.workers[index - 1]
        _signal_group(worker.pid, sig)
        _wait_gone(worker.pid, STOP_TIMEOUT)

    def start_worker(self, index: int) -> None:
        worker = self.workers[index - 1]
        if worker.alive:
            return
        self._spawn(worker)
        self.save()
        self._wait_worker(worker)

    def restart_worker(self, index: int) -> None:
        """Stop one worker as systemd would (SIGTERM) and start it again."""
        self.kill_worker(index, signal.SIGTERM)
        self.start_worker(index)

    def restart(self) -> None:
        """Rolling restart: one worker at a time, so another always answers.

        nginx leaves a worker that refused a connection out for FAIL_TIMEOUT seconds, even once
        it is back: wait that long before stopping the next one.
        """
        for n, worker in enumerate(self.workers):
            if n:
                time.sleep(FAIL_TIMEOUT)
            self.restart_worker(worker.index)

    # --- stop ---

    def stop(self) -> None:
        for worker in self.workers:
            _signal_group(worker.pid, signal.SIGTERM)
        if alive(self.nginx_pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.nginx_pid, signal.SIGQUIT)  # graceful: finish current requests
        for pid in [worker.pid for worker in self.workers] + [self.nginx_pid]:
            if not _wait_gone(pid, STOP_TIMEOUT):
                _signal_group(pid, signal.SIGKILL)
                _wait_gone(pid, 5)
        for worker in self.workers:
            Path(worker.socket).unlink(missing_ok=True)
        self.state_file.unlink(missing_ok=True)

    def __enter__(self) -> LocalCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(pid: int | None, sig: int) -> None:
    if not alive(pid):
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)


def _wait_gone(pid: int | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)  # reap our own child
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def create_database(database_url: str) -> None:
    """CREATE DATABASE if it does not exist (the role needs CREATEDB, as `postgres` has)."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        host = f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}"
        raise ClusterError(f"PostgreSQL at {host} refused: {error}".strip()) from None


# --- command line ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="deploy/local-cluster", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE, help="state folder")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start nginx and the workers")
    start.add_argument("--workers", type=int, default=2)
    start.add_argument("--port", type=int, default=8080)
    start.add_argument("--server", choices=SERVERS, default="daphne")
    start.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    start.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    start.add_argument("--settings", default="config.settings")
    start.add_argument("--demo", action="store_true", help="load the demo content (local only)")
    start.add_argument("--no-access-log", action="store_true")
    commands.add_parser("stop", help="stop the workers and nginx")
    commands.add_parser("status", help="show what runs and what /health/ says")
    commands.add_parser("restart", help="rolling restart, one worker at a time")
    args = parser.parse_args(argv)
    state = args.state.resolve()

    try:
        if args.command == "start":
            if not 1 <= args.workers <= 64:
                parser.error("--workers must be between 1 and 64")
            cluster = LocalCluster(
                workers_count=args.workers,
                port=args.port,
                server=args.server,
                state=state,
                database_url=args.database_url,
                redis_url=args.redis_url,
                settings_module=args.settings,
                access_log=not args.no_access_log,
            )
            cluster.start(demo=args.demo)
            print(f"Serving on {cluster.base_url}/ with {args.workers} {args.server} worker(s).")
            health = cluster.status()["health"]
            if isinstance(health, dict) and health.get("status") != "ok":
                print(f"Warning: /health/ says {json.dumps(health)} (is Redis running?)")
            print(f"Logs: {state / 'log'}  ·  environment: {cluster.env_file}")
            print("Stop with: deploy/local-cluster stop")
        elif args.command == "stop":
            LocalCluster.load(state).stop()
            print("Stopped.")
        elif args.command == "status":
            print(json.dumps(LocalCluster.load(state).status(), indent=2, ensure_ascii=False))
        elif args.command == "restart":
            cluster = LocalCluster.load(state)
            cluster.restart()
            print(f"Restarted {len(cluster.workers)} worker(s), one at a time.")
    except ClusterError as error:
        print(f"local-cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
