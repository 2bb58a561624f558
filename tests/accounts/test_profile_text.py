"""Profile text fields never keep bidirectional controls (issue 11, finding 15).

A display name such as "Amina\u202eslp.exe" reads backwards wherever it is shown (a forum
post's byline, the consultation's list of commenters, a certificate) and can pass for
someone else's name. Rich text already loses them (core.sanitize); plain profile fields go
through `core.sanitize.clean_text` in the service that every writer uses.
"""

import pytest

from accounts.models import Profile
from accounts.services import profile_update
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_the_profile_form_strips_bidi_controls_from_name_and_organisation(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/en/profile/",
        {
            "display_name": "Amina\u202e Diallo\u2066",
            "country": "SN",
            "organisation": "\u200fMinistry\u061c of\u2067 Environment\u202c",
            "stakeholder_category": "party",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Amina Diallo"
    assert profile.organisation == "Ministry of Environment"


@pytest.mark.parametrize("char", list(BIDI))
def test_the_profile_service_strips_every_bidi_control(char):
    user = make_user()
    profile = profile_update(
        user=user, display_name=f"Li{char} Wei", organisation=f"Customs{char} centre"
    )
    assert (profile.display_name, profile.organisation) == ("Li Wei", "Customs centre")


def test_a_name_of_nothing_but_controls_becomes_empty_not_invisible():
    profile = profile_update(user=make_user(), display_name="\u202e\u2066\u200f")
    assert profile.display_name == ""
