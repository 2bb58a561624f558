"""A page's privacy rows are kept in the cache (every page asked for them: two queries); a
page made private, or public again, is refused or served on the very next request."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.accounts.factories import make_user
from tests.consultations.factories import make_consultation

SUMMARY = "RESTRICTED-SUMMARY-7731"


@pytest.fixture(autouse=True)
def _cache_entries_kept(settings):
    # Entries read within PAGE_CACHE_CLOCK_SKEW of a write are not kept: without this the
    # test would pass without ever reading the rows from the cache.
    settings.PAGE_CACHE_CLOCK_SKEW = 0


def _shown(client, page) -> bool:
    response = client.get(page.url)
    return response.status_code == 200 and SUMMARY in response.content.decode()


@pytest.mark.django_db
def test_a_page_made_private_is_refused_at_once_and_served_again_once_public(client, site_shell):
    page = make_consultation(site_shell["home"], summary=f"<p>{SUMMARY}</p>")
    client.force_login(make_user())
    assert _shown(client, page)
    assert _shown(client, page)  # its (absent) restrictions from the cache

    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Expert panel"))
    assert not _shown(client, page)
    assert not _shown(client, page)

    restriction.delete()
    assert _shown(client, page)


@pytest.mark.django_db
def test_a_restriction_on_an_ancestor_closes_the_page_below_at_once(client, site_shell):
    page = make_consultation(site_shell["home"], summary=f"<p>{SUMMARY}</p>")
    assert _shown(client, page)
    PageViewRestriction.objects.create(page=page.get_parent(), restriction_type="login")
    assert not _shown(client, page)  # anonymous: to sign in
    client.force_login(make_user())
    assert _shown(client, page)
