"""Campaigns (issue 15): copies grouped as they arrive, what each adds, officers' decisions,
and what the public sees of them."""

import csv
import io

import pytest
from django.urls import reverse

from consultations.campaigns import services as campaign_services
from consultations.campaigns.regroup import regroup
from consultations.models import Campaign, Comment
from core.moderation import ModerationLog

from . import campaign_texts as T
from .factories import commenter, make_consultation, officer

pytestmark = pytest.mark.django_db

KINDS = ["GREETING_CHANGED", "SENTENCE_ADDED", "REWORDED", "SHORTENED"]


@pytest.fixture
def page(home):
    return make_consultation(home, state="open", moderation_mode="post")


@pytest.fixture
def send(page, django_capture_on_commit_callbacks):
    """Submit a comment as a new commenter and run what follows the commit (placement)."""
    from .factories import submit

    def _send(body, *, page=page, confidential=False, show_name=False, name="A Commenter"):
        with django_capture_on_commit_callbacks(execute=True):
            comment = submit(
                page,
                commenter(display_name=name),
                body=f"<p>{body}</p>".replace("\n", "</p><p>"),
                confidential=confidential,
                confidential_justification="personal data" if confidential else "",
                show_name=show_name,
            )
        return Comment.objects.get(pk=comment.pk)

    return _send


@pytest.mark.parametrize("lang", ["EN", "ZH"])
@pytest.mark.parametrize("kind", ["LETTER", *KINDS])
def test_each_kind_of_copy_joins_the_form_letters_campaign(send, lang, kind):
    first = send(getattr(T, f"LETTER_{lang}"))
    copy = send(getattr(T, f"{kind}_{lang}"))
    first.refresh_from_db()
    assert copy.campaign_id is not None
    assert first.campaign_id == copy.campaign_id
    assert copy.campaign.size == 2


@pytest.mark.parametrize("lang", ["EN", "ZH"])
@pytest.mark.parametrize("kind", ["SAME_SUBJECT", "QUOTE"])
def test_independent_comments_and_single_sentence_quotes_stay_individual(send, lang, kind):
    send(getattr(T, f"LETTER_{lang}"))
    send(getattr(T, f"GREETING_CHANGED_{lang}"))
    other = send(getattr(T, f"{kind}_{lang}"))
    assert other.campaign_id is None
    assert Campaign.objects.get().size == 2


@pytest.mark.parametrize("lang", ["EN", "ZH"])
def test_what_each_copy_adds_is_found_and_only_real_additions_are_substantive(send, lang):
    send(getattr(T, f"LETTER_{lang}"))
    send(getattr(T, f"LETTER_{lang}"))  # a second exact copy settles the common text
    added = send(getattr(T, f"SENTENCE_ADDED_{lang}"))
    greeting = send(getattr(T, f"GREETING_CHANGED_{lang}"))
    reworded = send(getattr(T, f"REWORDED_{lang}"))
    added.refresh_from_db(), greeting.refresh_from_db(), reworded.refresh_from_db()
    assert ("Rift Valley" if lang == "EN" else "云南") in added.campaign_added_text
    assert added.campaign_substantive
    assert ("Pedro" if lang == "EN" else "李娜") in greeting.campaign_added_text
    assert not greeting.campaign_substantive
    assert not reworded.campaign_substantive
    campaign = Campaign.objects.get()
    assert ("soil organisms" if lang == "EN" else "土壤生物") in campaign.common_text
    assert ("Rift Valley" if lang == "EN" else "云南") not in campaign.common_text


@pytest.mark.parametrize(
    "body",
    ["a", ("risk " * 3990).strip(), "?!… —— ！？。", "OK", "Maize 玉米 MON 89034 风险 risk тест"],
)
def test_odd_comments_are_stored_and_placed_without_error(send, body):
    first = send(body)
    second = send(body)
    assert Comment.objects.count() == 2
    if any(ch.isalnum() for ch in body):
        assert first.pk and second.campaign_id is not None  # exact copies group
    else:
        assert second.campaign_id is None  # punctuation only: nothing to compare


def test_mixed_script_letter_groups_with_its_copy(send):
    first = send(T.LETTER_EN + "\n" + T.LETTER_ZH)
    copy = send(T.GREETING_CHANGED_EN + "\n" + T.GREETING_CHANGED_ZH)
    first.refresh_from_db()
    assert first.campaign_id == copy.campaign_id is not None


@pytest.fixture
def campaign_of_three(send):
    members = [
        send(T.LETTER_EN),
        send(T.GREETING_CHANGED_EN),
        send(T.SENTENCE_ADDED_EN),
    ]
    return Campaign.objects.get(), members


def test_respond_once_reaches_every_member_and_survives_regrouping(campaign_of_three, send, page):
    campaign, members = campaign_of_three
    officer_user = officer()
    campaign_services.campaign_respond(
        campaign=campaign, actor=officer_user, disposition="noted", response="Answered once."
    )
    assert set(
        Comment.objects.filter(pk__in=[m.pk for m in members]).values_list("response", flat=True)
    ) == {"Answered once."}
    late = send(T.REWORDED_EN)
    assert late.campaign_id == campaign.pk and late.response == "Answered once."
    regroup(page)
    campaign.refresh_from_db()
    assert campaign.disposition == "noted" and campaign.size == 4
    assert Comment.objects.filter(campaign=campaign, response="Answered once.").count() == 4
    assert ModerationLog.for_item(campaign).filter(action="campaign_respond").exists()


def test_a_member_answered_individually_keeps_its_own_response(campaign_of_three):
    from consultations.services import comment_respond

    campaign, members = campaign_of_three
    officer_user = officer()
    comment_respond(
        comment=members[2], actor=officer_user, disposition="partly", response="Your farm: yes."
    )
    campaign_services.campaign_respond(
        campaign=campaign, actor=officer_user, disposition="noted", response="Answered once."
    )
    members[2].refresh_from_db()
    assert members[2].response == "Your farm: yes."


def test_split_merge_and_not_a_campaign_are_audited_and_kept_by_regrouping(
    campaign_of_three, send, page
):
    campaign, members = campaign_of_three
    officer_user = officer()
    campaign_services.campaign_split(comment=members[1], actor=officer_user, reason="different")
    assert ModerationLog.for_item(members[1]).filter(action="campaign_split").exists()
    send(T.LETTER_ZH)
    other_member = send(T.GREETING_CHANGED_ZH)
    other = other_member.campaign
    campaign_services.campaign_merge(campaign=other, into=campaign, actor=officer_user)
    assert ModerationLog.for_item(campaign).filter(action="campaign_merge").exists()
    regroup(page)
    members[1].refresh_from_db()
    assert members[1].campaign_id is None  # split stays split
    assert Comment.objects.filter(campaign=campaign).count() == 4  # merged stay merged
    campaign_services.campaign_dismiss(campaign=campaign, actor=officer_user, reason="no")
    assert ModerationLog.for_item(campaign).filter(action="campaign_dismiss").exists()
    regroup(page)
    assert not Comment.objects.filter(campaign__isnull=False).exists()


def test_officers_screens_show_the_campaign_with_each_addition(client, campaign_of_three, page):
    campaign, _members = campaign_of_three
    client.force_login(officer())
    listing = client.get(reverse("consultations:campaigns", args=[page.pk]))
    assert campaign.label in listing.content.decode()
    detail = client.get(reverse("consultations:campaign", args=[campaign.pk])).content.decode()
    assert "<mark>On my own farm in the Rift Valley" in detail
    assert "Substantive addition" in detail
    refused = client.post(
        reverse("consultations:campaign_respond", args=[campaign.pk]),
        {"campaign-disposition": "nonsense", "campaign-response": ""},
    )
    assert refused.status_code == 400
    done = client.post(
        reverse("consultations:campaign_respond", args=[campaign.pk]),
        {"campaign-disposition": "noted", "campaign-response": "Thank you all."},
    )
    assert done.status_code == 302
    assert Comment.objects.filter(campaign=campaign, response="Thank you all.").count() == 3


def test_campaign_screens_are_for_officers_only(client, campaign_of_three, page):
    campaign, _members = campaign_of_three
    client.force_login(commenter())
    assert client.get(reverse("consultations:campaigns", args=[page.pk])).status_code == 403
    assert client.get(reverse("consultations:campaign", args=[campaign.pk])).status_code == 403
    response = client.post(
        reverse("consultations:campaign_dismiss", args=[campaign.pk]), {"dismiss-reason": "x"}
    )
    assert response.status_code == 403
    assert not Campaign.objects.get().dismissed


def test_public_page_shows_the_text_once_with_the_others_and_never_a_withheld_copy(
    client, send, page
):
    send(T.LETTER_EN, show_name=True, name="Named Person")
    send(T.GREETING_CHANGED_EN, name="Quiet Person")
    send(T.SENTENCE_ADDED_EN, confidential=True, name="Secret Person")
    assert Campaign.objects.get().size == 3
    html = client.get(page.url).content.decode()
    assert html.count("Independent studies on the Cry proteins") == 1
    assert "and 1 other sent this text" in html
    assert "Named Person" in html and "Quiet Person" not in html
    assert "Rift Valley" not in html and "Secret Person" not in html


def test_statistics_count_campaigns_and_individual_comments(client, send, page):
    send(T.LETTER_EN)
    send(T.GREETING_CHANGED_EN)
    send(T.SHORTENED_EN, confidential=True)
    send(T.SAME_SUBJECT_EN)
    public = client.get(reverse("consultations:statistics", args=[page.pk])).content.decode()
    assert "3 comments: 1 campaigns (2 comments) + 1 individual comments" in public
    client.force_login(officer())
    everything = client.get(reverse("consultations:statistics", args=[page.pk])).content.decode()
    assert "4 comments: 1 campaigns (3 comments) + 1 individual comments" in everything


def test_exports_carry_the_campaign_columns(client, send, page):
    send(T.LETTER_EN)
    send(T.SENTENCE_ADDED_EN)
    send(T.GREETING_CHANGED_EN, confidential=True)
    client.force_login(officer())
    body = b"".join(
        client.get(reverse("consultations:export", args=[page.pk, "all", "csv"])).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["campaign"] for r in rows] == ["C1", "C1", "C1"]
    assert [r["campaign_size"] for r in rows] == ["3", "3", "3"]
    assert "Rift Valley" in rows[1]["added_text"]
    client.logout()
    body = b"".join(
        client.get(
            reverse("consultations:export", args=[page.pk, "public", "csv"])
        ).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 2
    assert rows[0]["Same text as"] == "" and rows[1]["Same text as"] == rows[0]["Reference"]


def test_demo_open_consultation_holds_a_campaign_in_each_language_with_an_addition(client, demo):
    page = Comment.objects.get(author_name="Ruth Otieno").consultation
    campaigns = list(Campaign.objects.filter(consultation=page).order_by("number"))
    assert [c.size for c in campaigns] == [3, 3]
    client.force_login(officer())
    listing = client.get(reverse("consultations:campaigns", args=[page.pk])).content.decode()
    assert "C1" in listing and "C2" in listing
    english = client.get(reverse("consultations:campaign", args=[campaigns[0].pk]))
    assert "<mark>In Senegal our customs laboratory" in english.content.decode()
    chinese = client.get(reverse("consultations:campaign", args=[campaigns[1].pk]))
    assert "<mark>我们实验室在马来西亚" in chinese.content.decode()


def test_command_regroups_a_consultation_and_refuses_an_unknown_code(campaign_of_three, page):
    from django.core.management import CommandError, call_command

    campaign, members = campaign_of_three
    campaign_services.campaign_split(comment=members[1], actor=officer(), reason="own words")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "consultations_campaigns", page.reference_code.lower(), "--rebuild", stdout=out, stderr=err
    )
    assert "1 campaigns" in out.getvalue() and "3/3" in err.getvalue()
    assert Comment.objects.filter(campaign__isnull=False).count() == 2
    with pytest.raises(CommandError):
        call_command("consultations_campaigns", "NOSUCHCODE")


def test_an_officers_campaign_decision_reaches_the_cached_public_page_at_once(client, send, page):
    send(T.LETTER_EN)
    send(T.GREETING_CHANGED_EN)
    assert "and 1 other sent this text" in client.get(page.url).content.decode()
    assert "and 1 other sent this text" in client.get(page.url).content.decode()  # cached
    campaign_services.campaign_dismiss(
        campaign=Campaign.objects.get(), actor=officer(), reason="two people"
    )
    assert "and 1 other sent this text" not in client.get(page.url).content.decode()
