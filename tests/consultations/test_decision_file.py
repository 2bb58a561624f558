"""The consultation page as the public file of a pending decision (issue 13): the notifier and
the notification's date (Annex I, Art. 9.2(a)), the procedure's clocks with their articles
(Art. 9, 10.3, 11.1, 12), the outcome with its reasons, conditions and BCH record (Art. 10.4,
20.3(d)), the items Art. 21.6 keeps public, the notifier's confidentiality claims (Art. 21) and
the Aarhus GMO amendment option."""

import json
import uuid
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import ConfidentialityClaim, ConsultationPage, Outcome
from consultations.procedure import ClockState, procedure_clocks, procedure_note
from consultations.services import consultation_close_now, outcome_publish

from .factories import make_consultation

TODAY = date(2026, 6, 1)


def requests_json(*pairs):
    return json.dumps(
        [
            {
                "type": "request",
                "id": str(uuid.uuid4()),
                "value": {
                    "requested_on": asked.isoformat(),
                    "received_on": answered.isoformat() if answered else None,
                    "note": "",
                },
            }
            for asked, answered in pairs
        ]
    )


def aia_page(**fields):
    """An unsaved field-trial page, enough for the clocks."""
    values = dict(
        decision_type="field_trial",
        notification_received_on=date(2026, 1, 1),
        acknowledged_on=None,
        decision_period_extended_to=None,
        information_requests="[]",
    )
    values.update(fields)
    return ConsultationPage(**values)


# --- the clocks, computed (consultations.procedure) ---------------------------------------


@pytest.mark.django_db
def test_aia_clocks_count_90_and_270_days_from_receipt():
    page = aia_page(acknowledged_on=date(2026, 3, 1))
    acknowledge, decide = procedure_clocks(page, today=TODAY)
    assert acknowledge.due == date(2026, 4, 1)  # 1 January + 90 days
    assert acknowledge.state == ClockState.MET and "Art. 9.1" in acknowledge.article
    assert decide.due == date(2026, 9, 28)  # 1 January + 270 days
    assert decide.state == ClockState.RUNNING and "Art. 10.3" in decide.article


@pytest.mark.django_db
def test_the_decision_clock_stops_while_further_information_is_awaited():
    answered = aia_page(information_requests=requests_json((date(2026, 2, 1), date(2026, 2, 15))))
    decide = procedure_clocks(answered, today=TODAY)[1]
    assert decide.stopped_days == 14
    assert decide.due == date(2026, 9, 28) + timedelta(days=14)  # Art. 10.3(c)
    waiting = aia_page(information_requests=requests_json((date(2026, 5, 1), None)))
    decide = procedure_clocks(waiting, today=TODAY)[1]
    assert decide.state == ClockState.STOPPED and decide.stopped_since == date(2026, 5, 1)
    assert decide.stopped_days == 31


@pytest.mark.django_db
def test_an_extension_told_to_the_notifier_replaces_the_270_days():
    page = aia_page(decision_period_extended_to=date(2026, 12, 31))
    decide = procedure_clocks(page, today=TODAY)[1]
    assert decide.due == date(2026, 12, 31) and decide.extended


@pytest.mark.django_db
def test_an_unacknowledged_notification_is_overdue_after_90_days():
    acknowledge = procedure_clocks(aia_page(), today=TODAY)[0]
    assert acknowledge.state == ClockState.OVERDUE


def test_art_11_decisions_go_to_the_bch_within_15_days_and_late_ones_say_so():
    page = SimpleNamespace(decision_type="art11", notification_received_on=None)
    outcome = SimpleNamespace(decision_date=date(2026, 5, 1), bch_record_date=date(2026, 5, 20))
    (clock,) = procedure_clocks(page, outcome, today=TODAY)
    assert clock.due == date(2026, 5, 16) and "Art. 11.1" in clock.article
    assert clock.state == ClockState.LATE
    (pending,) = procedure_clocks(page, None, today=TODAY)
    assert pending.state == ClockState.NOT_STARTED
    assert "Art. 11.4" in procedure_note("art11")


def test_review_clocks_follow_article_12():
    page = SimpleNamespace(decision_type="review", notification_received_on=date(2026, 4, 1))
    outcome = SimpleNamespace(decision_date=date(2026, 5, 1), bch_record_date=None)
    answer, notice = procedure_clocks(page, outcome, today=TODAY)
    assert answer.due == date(2026, 6, 30) and "Art. 12.3" in answer.article
    assert notice.due == date(2026, 5, 31) and "Art. 12.1" in notice.article


@pytest.mark.parametrize(
    ("kind", "article"), [("simplified", "13.1"), ("transit", "6.1"), ("contained", "6.2")]
)
def test_no_aia_clock_runs_for_simplified_transit_or_contained_use(kind, article):
    page = SimpleNamespace(decision_type=kind, notification_received_on=date(2026, 1, 1))
    assert procedure_clocks(page, None, today=TODAY) == []
    assert article in procedure_note(kind)


# --- the page's rules ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_notified_decision_cannot_be_saved_without_the_art_21_6_items(home):
    page = make_consultation(home)
    page.risk_assessment_summary = ""
    page.notifier_address = " "
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    errors = excinfo.value.message_dict
    assert set(errors) == {"risk_assessment_summary", "notifier_address"}
    assert "Art. 21.6" in errors["risk_assessment_summary"][0]


@pytest.mark.django_db
def test_a_national_guideline_needs_no_notifier(home):
    page = make_consultation(home, decision_type="law", notifier_name="", lmo_description="")
    page.full_clean()


@pytest.mark.django_db
def test_dates_of_the_notification_must_be_in_order(home):
    page = make_consultation(home, decision_type="field_trial", lmo_identifier="")
    page.notification_received_on = timezone.localdate() - timedelta(days=10)
    page.acknowledged_on = page.notification_received_on - timedelta(days=1)
    page.information_requests = requests_json(
        (page.notification_received_on + timedelta(days=3), page.notification_received_on)
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert {"acknowledged_on", "information_requests"} <= set(excinfo.value.message_dict)


@pytest.mark.django_db
def test_the_aarhus_option_asks_for_a_reasonable_time_frame(home):
    page = make_consultation(home, applies_aarhus_gmo_amendment=True)  # 32 days: fine
    page.closes_at = page.opens_at + timedelta(days=20)
    with pytest.raises(ValidationError, match="reasonable time-frame"):
        page.full_clean()


# --- the outcome -----------------------------------------------------------------------------


def closed(home, officer_user, **fields):
    page = make_consultation(home, **fields)
    consultation_close_now(consultation=page, actor=officer_user, reason="Decision due.")
    return ConsultationPage.objects.get(pk=page.pk)


def publish(page, officer_user, **fields):
    values = dict(
        decision="Decided.",
        decision_date=timezone.localdate(),
        comments_taken_into_account="None received.",
    )
    values.update(fields)
    return outcome_publish(consultation=page, actor=officer_user, **values)


@pytest.mark.django_db
def test_a_decision_cannot_be_dated_before_the_comment_period_closed(home, officer_user):
    page = closed(home, officer_user)
    with pytest.raises(ValidationError) as excinfo:
        publish(page, officer_user, decision_date=timezone.localdate() - timedelta(days=1))
    assert "before the comment period closed" in excinfo.value.message_dict["decision_date"][0]
    assert not Outcome.objects.filter(consultation=page).exists()


@pytest.mark.django_db
def test_reasons_are_required_unless_the_approval_is_unconditional(home, officer_user):
    page = closed(home, officer_user)
    with pytest.raises(ValidationError) as excinfo:
        publish(page, officer_user, result="prohibited")
    assert "Art. 10.4" in excinfo.value.message_dict["reasons"][0]
    with pytest.raises(ValidationError) as excinfo:
        publish(page, officer_user, result="conditions", reasons="Safe if segregated.")
    assert "conditions" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        publish(page, officer_user, bch_record_url="https://bch.cbd.int/en/database/DEC/1")
    assert "bch_record_date" in excinfo.value.message_dict
    publish(page, officer_user, result="approved")


@pytest.mark.django_db
def test_under_the_aarhus_amendment_even_an_approval_is_published_with_reasons(home, officer_user):
    page = closed(home, officer_user, applies_aarhus_gmo_amendment=True)
    with pytest.raises(ValidationError, match="Aarhus"):
        publish(page, officer_user, result="approved")


@pytest.mark.django_db
def test_the_page_shows_the_outcome_with_reasons_conditions_and_bch_record(
    client, home, officer_user
):
    page = closed(home, officer_user)
    today = timezone.localdate()
    publish(
        page,
        officer_user,
        result="conditions",
        reasons="REASONS-FOR-THE-DECISION",
        conditions="CONDITION-OF-SEGREGATION",
        bch_record_url="https://bch.cbd.int/en/database/DEC/123",
        bch_record_date=today + timedelta(days=3),
    )
    html = client.get(page.url).content.decode()
    assert "Approved with conditions (Art. 10.3(a))" in html
    assert "REASONS-FOR-THE-DECISION" in html and "CONDITION-OF-SEGREGATION" in html
    assert 'href="https://bch.cbd.int/en/database/DEC/123"' in html
    # The Art. 11.1 clock: 15 days from the decision, met by the BCH record.
    assert "Art. 11.1: within 15 days of the decision" in html
    assert "clock--met" in html


# --- the page shows the file -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_notifier_the_clocks_and_the_art_21_6_items(client, home):
    received = timezone.localdate() - timedelta(days=100)
    page = make_consultation(
        home,
        decision_type="field_trial",
        lmo_identifier="",
        notification_received_on=received,
        acknowledged_on=received + timedelta(days=20),
    )
    html = client.get(page.url).content.decode()
    assert "Example Seeds Ltd" in html and "1 Example Road" in html
    assert f'<time dir="ltr" datetime="{received.isoformat()}">' in html
    assert "Time limits of the procedure" in html
    assert "Art. 9.1: within 90 days of receipt" in html
    assert (received + timedelta(days=270)).isoformat() in html
    assert "Information that is never confidential (Art. 21.6)" in html
    assert "Spilled grain is collected and destroyed." in html


# --- the notifier's claims (Art. 21) ------------------------------------------------------------


def claim(**fields):
    values = dict(item="Annex 4", decision="pending", claimed_on=date(2026, 1, 1))
    values.update(fields)
    return ConfidentialityClaim(**values)


def claim_errors(**fields) -> dict:
    try:
        claim(**fields).clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_information_art_21_6_keeps_public_can_never_be_kept_confidential():
    errors = claim_errors(art_21_6="risk_summary", decision="accepted", decided_on=date(2026, 2, 1))
    assert "Art. 21.6" in errors["decision"][0]


def test_a_refusal_needs_reasons_and_a_consulted_notifier():
    errors = claim_errors(decision="refused", decided_on=date(2026, 2, 1))
    assert {"decision_reasons", "notifier_consulted_on"} <= set(errors)


def test_nothing_is_disclosed_before_the_notifier_is_informed():
    refused = dict(
        decision="refused",
        decided_on=date(2026, 2, 1),
        decision_reasons="Not commercial information.",
        notifier_consulted_on=date(2026, 1, 20),
    )
    assert "disclosed_on" in claim_errors(**refused, disclosed_on=date(2026, 2, 5))
    assert "disclosed_on" in claim_errors(
        **refused, notifier_informed_on=date(2026, 2, 5), disclosed_on=date(2026, 2, 5)
    )
    assert (
        claim_errors(
            **refused, notifier_informed_on=date(2026, 2, 2), disclosed_on=date(2026, 2, 20)
        )
        == {}
    )
    assert "disclosed_on" in claim_errors(disclosed_on=date(2026, 2, 20))  # never if pending


@pytest.mark.django_db
def test_the_public_sees_each_claims_state_but_never_its_reasons(client, home, officer_user):
    page = make_consultation(home)
    page.confidentiality_claims = [
        claim(
            item="Dossier annex 4: composition data",
            notifier_reasons="NOTIFIER-REASONS-9931",
            decision="accepted",
            decided_on=date(2026, 2, 1),
            decision_reasons="AUTHORITY-REASONS-4410",
        )
    ]
    page.save_revision().publish()
    public = client.get(page.url).content.decode()
    assert "Dossier annex 4: composition data" in public and "Kept confidential" in public
    assert "NOTIFIER-REASONS-9931" not in public and "AUTHORITY-REASONS-4410" not in public
    client.force_login(officer_user)
    officers = client.get(page.url).content.decode()
    assert "NOTIFIER-REASONS-9931" in officers and "AUTHORITY-REASONS-4410" in officers


@pytest.mark.django_db
def test_claims_stay_with_the_page_in_the_default_language(client, home):
    from .factories import translate

    page = make_consultation(home)
    page.confidentiality_claims = [claim(item="Annex 9: sequence data")]
    page.save_revision().publish()
    chinese = translate(ConsultationPage.objects.get(pk=page.pk))
    assert chinese.confidentiality_claims.count() == 0  # not copied
    assert [c.item for c in chinese.claims] == ["Annex 9: sequence data"]
