"""A strict Content-Security-Policy on every page (issue 11, finding 16).

If a script ever gets into a page past the sanitiser, the browser refuses to run it: pages
allow scripts and styles from our own origin only, no plugins, no framing by other sites,
no <base> or form posting elsewhere. That holds only while no template needs inline script
or style, which the last test keeps true. The browser journeys (tests/e2e/conftest.py) fail
on any violation the browser reports.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.accounts.factories import make_user

REPO = Path(settings.BASE_DIR)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/en/", "/en/accounts/login/", "/en/courses/check-unique-identifier/"]
)
def test_public_pages_allow_only_our_own_scripts_and_styles(client, site_shell, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    # The live pages' socket: this host, as the page was asked for.
    assert csp["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]


@pytest.mark.django_db
def test_secure_pages_allow_no_plain_socket(client, site_shell):
    response = client.get("/en/", secure=True)
    assert policy(response)["connect-src"] == ["'self'", "wss://testserver"]


@pytest.mark.django_db
def test_the_wagtail_admin_has_its_own_policy_that_still_forbids_plugins_and_framing(client):
    client.force_login(make_user(roles=["Editors"]))
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" in csp["script-src"]  # Wagtail's own inline scripts
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]  # its page preview only
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy(client.get("/en/"))["script-src"]


TEMPLATE_DIRS = [REPO / "templates", *REPO.glob("*/templates"), *REPO.glob("platform/*/templates")]
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_needs_inline_script_or_style():
    found = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            for what, pattern in INLINE.items():
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{template.relative_to(REPO)}:{line}: {what}")
    assert not found, "The policy would block these:\n" + "\n".join(found)


@pytest.mark.django_db
def test_a_redirect_carries_no_policy_and_the_page_it_leads_to_does(client, site_shell):
    # A redirect's body is never rendered, so its policy would govern nothing; the page the
    # browser lands on carries the whole policy.
    response = client.get("/en/profile/contributions/")
    assert response.status_code == 302
    assert "Content-Security-Policy" not in response
    landed = client.get(response["Location"])
    assert landed.status_code == 200
    assert policy(landed)["script-src"] == ["'self'"]
