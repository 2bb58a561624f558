"""What the page and intake benchmarks share: the site in production mode, as deploy/
env.example runs it, and the comment follow-up process as deploy/systemd runs it."""

import http.client
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(workdir: Path) -> dict[str, str]:
    """DEBUG off (no query log, cached templates, collected static files), plain HTTP on the
    loopback, files in `workdir`. SECRET_KEY is the caller's: sessions made in its process
    must verify in the workers'."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "CONSULTATIONS_PRIVATE_ROOT": str(workdir / "private"),
        "EMAIL_FILE_PATH": str(workdir / "mail"),
    }


def start_followup_worker(env: dict, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`manage.py consultations_followup` at nice 10, as its systemd unit runs it."""
    return subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "manage.py", "consultations_followup"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def start_daphne(env: dict, port: int, *, pinned: bool = True) -> subprocess.Popen:
    """One daphne worker on 127.0.0.1:`port`, held to one core as deployed unless `pinned` is
    False (WORKER_INDEX, core.cpu_affinity); returned once it answers /health/."""
    daphne = subprocess.Popen(
        [str(Path(sys.executable).parent / "daphne"), "-b", "127.0.0.1", "-p", str(port)]
        + ["config.asgi:application"],
        cwd=ROOT,
        env={**env, "WORKER_INDEX": "1" if pinned else ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
            break
        except OSError:
            time.sleep(0.1)
    return daphne
