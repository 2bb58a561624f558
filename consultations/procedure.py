"""The procedure behind a consultation page: decision types, and the Protocol's clocks.

A consultation is the public file of a pending decision. Which procedure the decision follows
decides which clocks run (computed here from the page's dates, never stored):

- advance informed agreement (AIA, Art. 7–10) for a first intentional introduction into the
  environment (a confined field trial, cultivation, another release): the Party of import
  acknowledges the notification within 90 days (Art. 9.1) and communicates its decision to the
  notifier and the Biosafety Clearing-House within 270 days of receipt (Art. 10.3), not counting
  the days it waits for further information (Art. 10.3(c)), unless it has told the notifier that
  the period is extended (Art. 10.3(d));
- LMOs for direct use as food or feed, or for processing (Art. 11): the decision follows the
  domestic framework (Art. 11.4) and goes to the BCH within 15 days (Art. 11.1);
- review of a decision (Art. 12): a written answer to a request for review within 90 days
  (Art. 12.3); a changed decision goes to the notifier and the BCH within 30 days, with its
  reasons (Art. 12.1);
- simplified procedure (Art. 13), transit (Art. 6.1) and contained use (Art. 6.2): the AIA
  clocks do not apply.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DecisionType(models.TextChoices):
    ART10_IMPORT = (
        "art10",
        gettext_lazy("Import for intentional introduction into the environment (Art. 10)"),
    )
    FIELD_TRIAL = (
        "field_trial",
        gettext_lazy(
            "Confined field trial: intentional introduction into the environment (Art. 7–10)"
        ),
    )
    CULTIVATION = (
        "cultivation",
        gettext_lazy("Cultivation: intentional introduction into the environment (Art. 7–10)"),
    )
    ART11_FFP = (
        "art11",
        gettext_lazy("LMO for direct use as food or feed, or for processing (Art. 11)"),
    )
    REVIEW = "review", gettext_lazy("Review of a decision (Art. 12)")
    SIMPLIFIED = "simplified", gettext_lazy("Simplified procedure (Art. 13)")
    TRANSIT = "transit", gettext_lazy("Transit (Art. 6.1)")
    CONTAINED_USE = "contained", gettext_lazy("Contained use (Art. 6.2)")
    NATIONAL_LAW = "law", gettext_lazy("National law, regulation or guideline")
    OTHER = "other", gettext_lazy("Other")


# The advance informed agreement: Art. 9 and 10 clocks.
AIA_TYPES = frozenset(
    {DecisionType.ART10_IMPORT, DecisionType.FIELD_TRIAL, DecisionType.CULTIVATION}
)
# Decisions on a notification or an application: the file names the notifier and carries the
# information that Art. 21.6 says may never be kept confidential.
NOTIFIED_TYPES = AIA_TYPES | {
    DecisionType.ART11_FFP,
    DecisionType.REVIEW,
    DecisionType.SIMPLIFIED,
}

ACKNOWLEDGE_DAYS = 90  # Art. 9.1
DECIDE_DAYS = 270  # Art. 10.3
ART11_BCH_DAYS = 15  # Art. 11.1
REVIEW_ANSWER_DAYS = 90  # Art. 12.3
REVIEW_NOTICE_DAYS = 30  # Art. 12.1


class ClockState:
    NOT_STARTED = "not_started"
    RUNNING = "running"
    STOPPED = "stopped"
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"


@dataclass
class Clock:
    label: str
    article: str
    starts: date | None = None
    due: date | None = None
    done: date | None = None
    stopped_days: int = 0  # days not counted: waiting for further information
    stopped_since: date | None = None  # a request for further information still open
    extended: bool = False  # Art. 10.3(d)
    today: date | None = None

    @property
    def state(self) -> str:
        if self.starts is None:
            return ClockState.NOT_STARTED
        if self.done is not None:
            return ClockState.MET if self.due is None or self.done <= self.due else ClockState.LATE
        if self.stopped_since is not None:
            return ClockState.STOPPED
        if self.due is not None and (self.today or timezone.localdate()) > self.due:
            return ClockState.OVERDUE
        return ClockState.RUNNING

    @property
    def state_label(self) -> str:
        return {
            ClockState.NOT_STARTED: _("not started"),
            ClockState.RUNNING: _("running"),
            ClockState.STOPPED: _("stopped: further information awaited"),
            ClockState.MET: _("met"),
            ClockState.LATE: _("met late"),
            ClockState.OVERDUE: _("overdue"),
        }[self.state]


def _stopped(requests: list[dict], today: date) -> tuple[int, date | None]:
    """Days the Art. 10.3 clock stood still, and since when it stands still now (Art. 10.3(c)):
    from each request for further information to the day the information arrived."""
    days, since = 0, None
    for request in requests:
        asked, answered = request.get("requested_on"), request.get("received_on")
        if asked is None:
            continue
        if answered is None:
            since = asked if since is None else min(since, asked)
            days += max((today - asked).days, 0)
        else:
            days += max((answered - asked).days, 0)
    return days, since


def procedure_clocks(page, outcome=None, today: date | None = None) -> list[Clock]:
    """The clocks that run for `page`'s decision, with their articles (see the module)."""
    today = today or timezone.localdate()
    received = page.notification_received_on
    decided = outcome.decision_date if outcome is not None else None
    recorded = outcome.bch_record_date if outcome is not None else None
    kind = page.decision_type
    clocks = []
    if kind in AIA_TYPES:
        clocks.append(
            Clock(
                label=_("Acknowledgement of the notification, in writing, to the notifier"),
                article=_("Art. 9.1: within 90 days of receipt"),
                starts=received,
                due=received + timedelta(days=ACKNOWLEDGE_DAYS) if received else None,
                done=page.acknowledged_on,
                today=today,
            )
        )
        requests = [block.value for block in page.information_requests]
        stopped_days, stopped_since = _stopped(requests, today)
        due = None
        if received:
            due = received + timedelta(days=DECIDE_DAYS + stopped_days)
        extended = page.decision_period_extended_to is not None
        if extended:
            due = page.decision_period_extended_to
        clocks.append(
            Clock(
                label=_("Decision communicated in writing to the notifier and the BCH"),
                article=_(
                    "Art. 10.3: within 270 days of receipt, not counting days awaiting further "
                    "information (Art. 10.3(c)), unless extended (Art. 10.3(d))"
                ),
                starts=received,
                due=due,
                done=recorded,
                stopped_days=stopped_days,
                stopped_since=None if recorded else stopped_since,
                extended=extended,
                today=today,
            )
        )
    elif kind == DecisionType.ART11_FFP:
        clocks.append(
            Clock(
                label=_("Final decision sent to the Parties through the BCH"),
                article=_("Art. 11.1: within 15 days of the decision"),
                starts=decided,
                due=decided + timedelta(days=ART11_BCH_DAYS) if decided else None,
                done=recorded,
                today=today,
            )
        )
    elif kind == DecisionType.REVIEW:
        if received:
            clocks.append(
                Clock(
                    label=_("Written answer to the request for review, with its reasons"),
                    article=_("Art. 12.3: within 90 days of the request"),
                    starts=received,
                    due=received + timedelta(days=REVIEW_ANSWER_DAYS),
                    done=decided,
                    today=today,
                )
            )
        clocks.append(
            Clock(
                label=_("Changed decision sent to the notifier and the BCH, with its reasons"),
                article=_("Art. 12.1: within 30 days"),
                starts=decided,
                due=decided + timedelta(days=REVIEW_NOTICE_DAYS) if decided else None,
                done=recorded,
                today=today,
            )
        )
    return clocks


def procedure_note(decision_type: str) -> str:
    """One sentence on the procedure where no Protocol clock runs, or on its particulars."""
    notes = {
        DecisionType.ART11_FFP: _(
            "The decision is taken under the domestic framework (Art. 11.4); the Protocol sets "
            "no period for it, unless the Party has declared that it decides within 270 days "
            "(Art. 11.6). The decision and the information of Annex II go to the BCH."
        ),
        DecisionType.SIMPLIFIED: _(
            "Under the simplified procedure, the movement may take place at the same time as "
            "the notification (Art. 13.1(a)); the AIA periods do not apply."
        ),
        DecisionType.TRANSIT: _(
            "The AIA procedure does not apply to LMOs in transit (Art. 6.1); the Party of "
            "transit may regulate their transport through its territory and reports any "
            "decision to the BCH."
        ),
        DecisionType.CONTAINED_USE: _(
            "The AIA procedure does not apply to LMOs destined for contained use in accordance "
            "with the standards of the Party of import (Art. 6.2)."
        ),
    }
    return str(notes.get(decision_type, ""))
