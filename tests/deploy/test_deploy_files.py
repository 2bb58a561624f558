"""The files in deploy/ name commands, variables, paths and services of the code: keep them true.

Static checks only (no network, no services): a management command renamed, a setting's
variable dropped, a socket path or a mount changed on one side only fails here, not on a server.
"""

import ast
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SYSTEMD = DEPLOY / "systemd"
WORKER_UNIT = SYSTEMD / "biosafety-worker@.service"
NGINX_SITE = DEPLOY / "nginx" / "biosafety.conf"
ENV_EXAMPLE = DEPLOY / "env.example"
COMPOSE = DEPLOY / "compose.yaml"
CONFIG = REPO / "platform" / "config"
SETTINGS_SOURCES = [CONFIG / "settings.py", CONFIG / "env.py"]

# Functions through which the settings read a variable, its name as the first argument (besides
# the env_* helpers).
ENV_READERS = {
    "require",
    "require_list",
    "database_from_env",
    "redis_url_from_env",
    "getenv",  # os.getenv
    "get",  # os.environ.get
}
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Read by boto3 (django-storages' S3 backend), not by our settings.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}

MANAGE_COMMAND = re.compile(r"manage\.py\s+([A-Za-z_][\w-]*)")
ASGI_APP = re.compile(r"\b([a-z_]\w*(?:\.[a-z_]\w*)+):([a-z_]\w*)\b")


def files_naming_commands() -> list[Path]:
    files = sorted(path for path in SYSTEMD.iterdir() if path.is_file())
    return [*files, DEPLOY / "Procfile", COMPOSE, DEPLOY / "Dockerfile"]


def settings_env_names() -> set[str]:
    """Every variable name the settings modules read, found in their source."""
    names = set()
    for source in SETTINGS_SOURCES:
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                func_name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                first = node.args[0]
                if (
                    (func_name in ENV_READERS or func_name.startswith("env_"))
                    and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and ENV_NAME.match(first.value)
                ):
                    names.add(first.value)
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(key.value)
    return names


def env_example_values() -> dict[str, str]:
    """KEY=value lines of env.example, including optional ones written `#KEY=value`."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^#?([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            values.setdefault(match[1], match[2])
    return values


def unit_values(path: Path, key: str) -> list[str]:
    """The values of `key=` lines in a systemd unit (commented lines excluded)."""
    return [
        line.split("=", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith(f"{key}=")
    ]


def load_compose() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    return yaml.safe_load(COMPOSE.read_text())


# --- Commands --------------------------------------------------------------------------------


def test_every_management_command_named_in_deploy_files_exists():
    known = set(get_commands())
    named = {
        (path.relative_to(REPO).as_posix(), command)
        for path in files_naming_commands()
        for command in MANAGE_COMMAND.findall(path.read_text())
    }
    assert {command for _path, command in named} >= {
        "migrate",
        "collectstatic",
        "build_error_pages",
        "forums_rounds",
        "forums_digest",
        "clearsessions",
    }
    unknown = sorted((path, command) for path, command in named if command not in known)
    assert not unknown, f"not Django management commands: {unknown}"


def test_the_asgi_application_the_servers_start_exists():
    import importlib

    named = {
        match
        for path in files_naming_commands()
        for line in path.read_text().splitlines()
        if "daphne" in line or "uvicorn" in line
        for match in ASGI_APP.findall(line)
    }
    assert named == {("config.asgi", "application")}
    for module, attribute in named:
        assert callable(getattr(importlib.import_module(module), attribute))


def test_every_timer_starts_a_service_that_exists():
    timers = sorted(SYSTEMD.glob("*.timer"))
    assert timers
    for timer in timers:
        assert timer.with_suffix(".service").is_file(), f"{timer.name} has no service"


# --- Environment -----------------------------------------------------------------------------


def test_every_variable_in_env_example_is_read_by_the_settings():
    read = settings_env_names()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= read  # the parser works
    unknown = sorted(set(env_example_values()) - read - READ_BY_LIBRARIES)
    assert not unknown, f"env.example sets variables no setting reads: {unknown}"


def test_env_example_is_production_mode_with_the_required_variables():
    values = env_example_values()
    assert values["DJANGO_DEBUG"] == "0"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert ENV_EXAMPLE.read_text().count(f"\n{name}=") == 1, f"{name} is not set once"


def test_the_units_may_write_where_env_example_puts_files():
    values = env_example_values()
    worker_writable = " ".join(unit_values(WORKER_UNIT, "ReadWritePaths")).split()
    release_writable = " ".join(
        unit_values(SYSTEMD / "biosafety-release.service", "ReadWritePaths")
    ).split()

    def under(path: str, roots: list[str]) -> bool:
        return any(Path(path).is_relative_to(root) for root in roots)

    assert under(values["MEDIA_ROOT"], worker_writable)
    assert under(values["CONSULTATIONS_PRIVATE_ROOT"], worker_writable)
    assert under(values["STATIC_ROOT"], release_writable)
    # Comment attachments are never inside the folder nginx serves.
    public = Path(values["STATIC_ROOT"]).parent
    assert not Path(values["CONSULTATIONS_PRIVATE_ROOT"]).is_relative_to(public)


# --- Sockets ---------------------------------------------------------------------------------


def test_worker_socket_matches_the_nginx_upstream():
    if not NGINX_SITE.exists():
        pytest.skip(f"{NGINX_SITE.relative_to(REPO)} is not written yet")
    exec_start = unit_values(WORKER_UNIT, "ExecStart")
    assert len(exec_start) == 1
    socket = re.search(r"(?:-u|--unix-socket)\s+(\S+)", exec_start[0])[1]
    assert "%i" in socket
    runtime_directory = unit_values(WORKER_UNIT, "RuntimeDirectory")[0]
    assert Path(socket).parent == Path("/run") / runtime_directory

    # The commented uvicorn alternative listens on the same path.
    uvicorn = re.search(r"^#ExecStart=.*uvicorn.*--uds\s+(\S+)", WORKER_UNIT.read_text(), re.M)
    assert uvicorn and uvicorn[1] == socket

    upstream = re.findall(r"^\s*server\s+unix:([^\s;]+)", NGINX_SITE.read_text(), re.M)
    assert upstream, "no `server unix:` line in the nginx site"
    instance = re.compile(re.escape(socket).replace("%i", r"\d+") + "$")
    assert all(instance.match(path) for path in upstream), upstream
    assert len(set(upstream)) == len(upstream)


# --- Compose ---------------------------------------------------------------------------------


def test_compose_names_the_services():
    services = load_compose()["services"]
    assert {"postgres", "redis", "release", "worker", "nginx"} <= set(services)


def test_compose_app_environment_is_read_by_the_settings():
    services = load_compose()["services"]
    read = settings_env_names()
    for name in ("release", "worker"):
        environment = services[name]["environment"]
        assert not set(environment) - read, (name, sorted(set(environment) - read))


def test_compose_mounts_files_that_exist_where_nginx_includes_them():
    nginx = load_compose()["services"]["nginx"]
    mounts = {}
    for volume in nginx["volumes"]:
        source, target = volume.split(":")[:2]
        if source.startswith("."):
            assert (DEPLOY / source).is_file(), f"{source} does not exist"
            mounts[target] = DEPLOY / source
    server = mounts["/etc/nginx/conf.d/default.conf"].read_text()
    for include in re.findall(r"^\s*include\s+([^\s;]+);", server, re.M):
        assert include in mounts, f"{include} is included but not mounted"
    assert "upstream biosafety_workers" in server


def test_check_deploy_reports_nothing_with_env_example_and_a_real_key():
    """What docs/deploy.md promises: the production environment file passes `check --deploy`."""
    import os
    import secrets
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    for line in ENV_EXAMPLE.read_text().splitlines():
        key, equals, value = line.partition("=")
        if equals and not key.startswith("#"):
            env[key.strip()] = value.strip().strip('"')  # as systemd reads the file
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
