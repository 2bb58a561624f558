"""Start-up behaviour of the one settings module, run in fresh processes with chosen env."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3J9-vq8w!Zr2xN5mT7pL0sD4fG6hJ8aQ1eR3tY5uI7oP9zX2cV4bN6mM8lK0jH"
ENV_VARS = (
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "REDIS_URL",
    "EMAIL_HOST",
    "EMAIL_FILE_PATH",
    "DJANGO_SETTINGS_MODULE",
)


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(expr, **env):
    """`expr` as the settings module computes it from `env`, in a fresh process. The settings
    are imported as `manage.py` would import them, without loading the apps (a second or
    more per process); `test_embedded_default_passes_the_system_checks` and the `check` tests
    below start the whole project."""
    clean = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT / "platform"))
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expr})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_variables_gives_the_embedded_default():
    result = settings_value(
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
        "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.CACHES['default']['BACKEND'], "
        "settings.EMAIL_BACKEND"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True django.db.backends.sqlite3 channels.layers.InMemoryChannelLayer "
        "django.core.cache.backends.locmem.LocMemCache "
        "django.core.mail.backends.console.EmailBackend"
    )


def test_embedded_default_passes_the_system_checks():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr


def test_database_and_redis_urls_select_postgresql_and_redis():
    result = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'], "
        "settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.CHANNEL_LAYERS['default']['BACKEND'], "
        "settings.CACHES['default']['BACKEND']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/biosafety",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "biosafety",
        "0",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "core.cache.ResilientRedisCache",
    ]


def test_a_pool_size_keeps_postgresql_connections_open_per_worker():
    pg = "postgres://postgres@127.0.0.1:5432/biosafety"
    pooled = settings_value(
        "settings.DATABASES['default']['OPTIONS']['pool']['max_size'], "
        "settings.DATABASES['default']['CONN_MAX_AGE']",
        DATABASE_URL=pg,
        DATABASE_POOL_SIZE="8",
    )
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.split() == ["8", "0"]  # handed back after each request
    unpooled = settings_value("'pool' in settings.DATABASES['default']['OPTIONS']", DATABASE_URL=pg)
    assert unpooled.stdout.split() == ["False"]
    refused = run_manage("check", DATABASE_URL=pg, DATABASE_POOL_SIZE="-1")
    assert refused.returncode != 0 and "DATABASE_POOL_SIZE" in refused.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"DJANGO_DEBUG": "0", "SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets_and_names_them(env, named):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert named in result.stderr
    assert "DJANGO_DEBUG=0" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "postgres//missing-colon"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:notaport/db"),
        ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432"),
        ("REDIS_URL", "redis://127.0.0.1:sixthreeseven/0"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("DJANGO_DEBUG", "maybe"),
    ],
)
def test_a_malformed_variable_stops_start_up_naming_it(name, value):
    result = run_manage("check", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_production_with_its_secrets_passes_check_deploy_with_no_issue():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="biosafety.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_empty_debug_variable_counts_as_unset():
    result = settings_value("settings.DEBUG", DJANGO_DEBUG="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_links_default_to_the_first_allowed_host_over_https():
    result = settings_value(
        "settings.WAGTAILADMIN_BASE_URL",
        DJANGO_DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="biosafety.example.org,www.biosafety.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://biosafety.example.org"


def test_feature_limits_come_from_the_environment():
    result = settings_value(
        "settings.FORUMS_POST_RATE, settings.FORUMS_POST_MAX_LENGTH, "
        "settings.CONSULTATIONS_COMMENT_RATE, settings.CONSULTATIONS_MAX_ATTACHMENT_BYTES, "
        "settings.CONSULTATIONS_PRIVATE_ROOT",
        FORUMS_POST_RATE="20/60",
        FORUMS_POST_MAX_LENGTH="5000",
        CONSULTATIONS_COMMENT_RATE="3/60",
        CONSULTATIONS_MAX_ATTACHMENT_BYTES="1048576",
        CONSULTATIONS_PRIVATE_ROOT="/srv/private",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["20/60", "5000", "3/60", "1048576", "/srv/private"]


def test_a_malformed_forum_rate_stops_start_up_naming_the_variable():
    result = run_manage("check", FORUMS_POST_RATE="lots")
    assert result.returncode != 0
    assert "FORUMS_POST_RATE" in result.stderr
