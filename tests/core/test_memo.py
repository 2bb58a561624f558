"""{% memo %} (core.templatetags.site_ui): the site shell's fragments rendered once per process
for everyone who shares a language and the values the tag names, and nothing more shared."""

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation

from core.templatetags import site_ui
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def _render(source, **context):
    return engines["django"].from_string("{% load site_ui %}" + source).render(context)


def test_a_fragment_is_rendered_once_per_language_and_value():
    site_ui.forget_memo()
    source = '{% memo "t" kind %}{{ kind }} {{ other }}{% endmemo %}'
    assert _render(source, kind="a", other=1) == "a 1"
    # `other` is not one of the values: the copy is served (what the tag promises not to hold).
    assert _render(source, kind="a", other=2) == "a 1"
    assert _render(source, kind="b", other=2) == "b 2"
    with translation.override("fr"):
        assert _render(source, kind="a", other=3) == "a 3"


@override_settings(DEBUG=True)
def test_off_while_debugging():
    site_ui.forget_memo()
    source = '{% memo "t" %}{{ other }}{% endmemo %}'
    assert _render(source, other=1) == "1"
    assert _render(source, other=2) == "2"


def _header(client, url="/en/"):
    html = client.get(url).content.decode()
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_the_admin_link_follows_each_persons_rights(client, demo):
    from accounts.roles import Role

    editor = make_user(email="memo-editor@example.org", roles=[Role.EDITORS])
    reader = make_user(email="memo-reader@example.org")
    client.force_login(editor)
    assert 'href="/admin/"' in _header(client)
    client.force_login(reader)
    header = _header(client)
    assert 'href="/admin/"' not in header and "Sign out" in header
    client.logout()
    header = _header(client)
    assert "Sign out" not in header and "Sign in" in header


def test_my_learning_is_marked_current_only_on_its_page(client, demo):
    client.force_login(make_user())
    assert 'aria-current="page">My learning' not in _header(client)
    assert 'aria-current="page">My learning' in _header(client, "/en/courses/my-learning/")
    assert 'aria-current="page">My learning' not in _header(client)


def test_the_header_speaks_the_readers_language(client, demo):
    client.force_login(make_user())
    english = _header(client, "/en/")
    french = _header(client, "/fr/")
    assert "Sign out" in english and "Sign out" not in french
    assert 'value="fr" lang="fr" aria-current="true"' in french
    assert 'value="en" lang="en" aria-current="true"' in english
