"""Reading settings from the environment, failing fast with the variable's name.

Every variable read here is listed in the README's table.
"""

import os
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():  # set but empty counts as unset
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def _missing(name: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG=0 (production mode). See the README's table."
    )


def require(name: str) -> str:
    value = env_str(name)
    if not value:
        raise _missing(name)
    return value


def require_list(name: str) -> list[str]:
    values = env_list(name)
    if not values:
        raise _missing(name)
    return values


def database_from_env(name: str, *, default_sqlite_path) -> dict:
    """`DATABASE_URL` → PostgreSQL (or a given SQLite file); unset → the embedded SQLite file."""
    raw = env_str(name)
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            # Several daphne tasks may write at once: wait for the lock instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    scheme = urlparse(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} is malformed: expected postgres://user@host:port/name or sqlite:///path, "
            f"got a URL with scheme {scheme!r}."
        )
    try:
        config = dj_database_url.parse(raw)
    except Exception as exc:  # dj-database-url raises several types for bad input
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} is malformed: it names no database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    else:
        # Under ASGI each request may run in a different thread: persistent connections
        # would pile up, so close them after each request.
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = True
        # A database that drops packets must not hold requests (or /health/) for minutes.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        # PostgreSQL's JIT compiles a query when its estimated cost is high (a search that
        # matches tens of thousands of rows): half a second of compiling for a query that
        # runs in a fifth of that. Web pages run short queries: no JIT.
        config["OPTIONS"].setdefault("options", "-c jit=off")
        pool_size = env_int("DATABASE_POOL_SIZE", 0)
        if pool_size < 0:
            raise ImproperlyConfigured(f"DATABASE_POOL_SIZE must be 0 or more; got {pool_size}.")
        if pool_size:
            # A new connection is a backend fork: on two busy cores it costs a short request
            # more than its queries. With a pool, closing after each request (CONN_MAX_AGE 0
            # above) hands the connection back instead, so threads do not pile up connections.
            # A request waiting longer than `timeout` for one gets an error, not a hang.
            config["OPTIONS"]["pool"] = {
                "min_size": min(2, pool_size),
                "max_size": pool_size,
                "timeout": 10,
            }
    return config


def redis_url_from_env(name: str) -> str:
    raw = env_str(name)
    if not raw:
        return ""
    parsed = urlparse(raw)
    try:
        parsed.port  # noqa: B018 - raises ValueError for a non-numeric port
    except ValueError:
        raise ImproperlyConfigured(f"{name} is malformed: the port is not a number.") from None
    if parsed.scheme not in {"redis", "rediss", "unix"} or not (parsed.hostname or parsed.path):
        raise ImproperlyConfigured(
            f"{name} is malformed: expected redis://host:port/db, got {raw!r}."
        )
    return raw
