"""The real site in a real browser: daphne in a subprocess on its own SQLite file, Chromium.

Nothing here touches the test database: the tests talk to the server over HTTP only, so
pytest-django's `db` and `live_server` stay out of it.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60  # seconds until /health/ must answer 200
# Variables that would point the server elsewhere than its own files (the CI may export them).
ENV_NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "MEDIA_ROOT",
)
FAILURE_ARTIFACTS = REPO_ROOT / "test-results" / "e2e"


@dataclass(frozen=True)
class Server:
    base_url: str
    database: Path  # the server's SQLite file (read it, never write it)
    mail_dir: Path  # Django's file-based e-mail backend writes one file per connection here
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",  # static files straight from the source folders, no collectstatic
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.sqlite3'}",
        EMAIL_FILE_PATH=str(workdir / "mail"),
        MEDIA_ROOT=str(workdir / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _log_tail(log: Path, lines: int = 60) -> str:
    if not log.exists():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"daphne exited with {process.returncode} before answering {url}:\n"
                + _log_tail(log),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            last_error = str(exc)
        time.sleep(0.25)
    pytest.fail(
        f"{url} did not answer 200 within {SERVER_START_TIMEOUT}s ({last_error}). "
        f"daphne's log:\n{_log_tail(log)}",
        pytrace=False,
    )


@contextmanager
def serve_demo(workdir: Path):
    """daphne serving config.asgi on a free port, on a migrated database in `workdir` with the
    demo content; stopped when the block ends."""
    (workdir / "mail").mkdir(exist_ok=True)
    env = _server_env(workdir)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")

    port = _free_port()
    log = workdir / "daphne.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            # This interpreter's daphne: a copied virtualenv's bin/daphne may name another.
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            + ["config.asgi:application"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(f"{base_url}/health/", process, log)
        yield Server(
            base_url=base_url,
            database=workdir / "e2e.sqlite3",
            mail_dir=workdir / "mail",
            log=log,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """The demo site shared by the journeys that leave it as they found it."""
    with serve_demo(tmp_path_factory.mktemp("e2e")) as running:
        yield running


# Reports every Content-Security-Policy violation of the page to the test (issue 11,
# finding 16): the event carries what was blocked and which directive refused it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: document.location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


class CspViolations:
    """What the browser refused under the site's Content-Security-Policy, in any context
    opened by any journey. `_fail_on_csp_violations` fails the test that caused them."""

    def __init__(self):
        self.found: list[str] = []

    def watch(self, context) -> None:
        context.expose_binding("__cspViolation", lambda _source, v: self.found.append(str(v)))
        context.add_init_script(CSP_LISTENER)
        # The console also names violations the page's own listener cannot see (a page
        # whose scripts are off, a blocked frame).
        context.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"console: {message.text}")


class WatchedBrowser:
    """The browser, whose every new context reports CSP violations."""

    def __init__(self, browser, violations: CspViolations):
        self._browser = browser
        self._violations = violations

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        self._violations.watch(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def csp_violations() -> CspViolations:
    return CspViolations()


@pytest.fixture(autouse=True)
def _fail_on_csp_violations(csp_violations):
    """Any journey during which the browser refused something under the site's policy fails:
    a page that needs an inline script or a third-party source is broken for real users."""
    csp_violations.found.clear()
    yield
    if csp_violations.found:
        found = "\n".join(dict.fromkeys(csp_violations.found))
        csp_violations.found.clear()
        pytest.fail(f"Content-Security-Policy violations:\n{found}", pytrace=False)


@pytest.fixture(scope="session")
def browser(csp_violations):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium "
            "(apt-get install chromium fonts-noto-cjk).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser, csp_violations)
        browser.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh browser profile (no cookies) whose browser asks for English, like most newcomers."""
    context = browser.new_context(base_url=server.base_url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_failure_artifacts(page, request.node.name)
    context.close()


def _save_failure_artifacts(page, name: str) -> None:
    """A screenshot and the HTML of the page the test failed on, in test-results/e2e/."""
    FAILURE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(FAILURE_ARTIFACTS / f"{name}.png"), full_page=True)
        (FAILURE_ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone; the failure itself matters more
        sys.stderr.write(f"Could not save the failing page: {exc}\n")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Replaces tests/conftest.py's: the server under test keeps its own cache, in its own
    process; this one has nothing to clear (and may be handed a REDIS_URL it cannot reach)."""
    yield
