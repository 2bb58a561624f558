"""Demo content of the courses app, loaded by `manage.py load_demo` (idempotent)."""


def demo_load(*, home, users) -> dict:
    """Load this app's part of fixtures/; `home` is the English home page, `users` the demo
    users by e-mail. Returns what was loaded, for the command's summary."""
    return {}
