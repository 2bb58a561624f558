"""A worker imports its URLconf (every app's views, Wagtail's admin) while it starts, before the
server listens: otherwise its first requests, /health/ among them, wait most of a second behind
the import, and a restarted worker under load answered its health probe late."""

import os
import subprocess
import sys
from pathlib import Path

PLATFORM = Path(__file__).resolve().parents[2] / "platform"

LOADED = (
    "import sys; import config.asgi; "
    "print(sorted(m for m in ('config.urls', 'wagtail.admin.urls') if m in sys.modules))"
)


def test_loading_the_asgi_application_imports_the_urlconf():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    result = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=PLATFORM, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['config.urls', 'wagtail.admin.urls']"
