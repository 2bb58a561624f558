"""The officers' synthesis of the comments and the outcome's summary of comments received
(issue 15): what enters it, who may see and edit it, what the public reads, and its cost."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationPage, Outcome, SummaryStatement
from consultations.services import comment_moderate
from consultations.services import summaries as summary_services
from consultations.summaries import consultation_synthesis, public_summary
from core.moderation import ModerationLog

from .factories import commenter, editor, make_consultation, published_comment, section_key, submit

pytestmark = pytest.mark.django_db

RESIDUES = [
    "Glyphosate residues in the maize grain worry me. Residue limits must be tested.",
    "Please test the grain for herbicide residues. Glyphosate residue levels are missing.",
    "The residue data on glyphosate are missing for the maize kernels.",
]
LABELS = [
    "Labelling of food containing this maize should be mandatory. Consumers must know.",
    "I want clear labels on every product made from this maize. Labelling protects choice.",
]
CHINESE = [
    "转基因玉米的标识应该是强制性的。消费者有知情权。",
    "请对转基因食品进行标识，消费者需要知道标识信息。",
]
# One word per protected state: none may reach a synthesis or the public summary.
CANARIES = {
    "pending": "Pendingcanary glyphosate residue grain.",
    "rejected": "Rejectedcanary glyphosate residue grain.",
    "hidden": "Hiddencanary glyphosate residue grain.",
    "confidential": "Confidentialcanary glyphosate residue grain.",
}


@pytest.fixture
def page(home):
    return make_consultation(home, state="open")


@pytest.fixture
def comments(page, officer_user):
    made = {}
    risk, conditions = section_key(page, "2"), section_key(page, "3")
    for n, text in enumerate(RESIDUES):
        made[f"r{n}"] = published_comment(
            page, commenter(), officer_user, body=f"<p>{text}</p>", section_key=risk
        )
    for n, text in enumerate(LABELS):
        made[f"l{n}"] = published_comment(
            page, commenter(), officer_user, body=f"<p>{text}</p>", section_key=conditions
        )
    for n, text in enumerate(CHINESE):
        made[f"z{n}"] = published_comment(page, commenter(), officer_user, body=f"<p>{text}</p>")
    made["pending"] = submit(page, commenter(), body=f"<p>{CANARIES['pending']}</p>")
    made["rejected"] = submit(page, commenter(), body=f"<p>{CANARIES['rejected']}</p>")
    comment_moderate(
        comment=made["rejected"], actor=officer_user, to_status="rejected", reason="Spam."
    )
    made["hidden"] = published_comment(
        page, commenter(), officer_user, body=f"<p>{CANARIES['hidden']}</p>"
    )
    comment_moderate(comment=made["hidden"], actor=officer_user, to_status="hidden", reason="PII.")
    made["confidential"] = submit(
        page,
        commenter(),
        body=f"<p>{CANARIES['confidential']}</p>",
        confidential=True,
        confidential_justification="Personal data.",
    )
    return made


def _officer_client(user):
    client = Client()
    client.force_login(user)
    return client


def _to_outcome(page):
    """The period closed and the outcome published (the record is then fixed)."""
    now = timezone.now()
    ConsultationPage.objects.filter(pk=page.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    Outcome.objects.create(
        consultation=page,
        decision="Approved with conditions.",
        decision_date=now.date(),
        comments_taken_into_account="See the summary.",
        published_at=now,
    )
    return ConsultationPage.objects.get(pk=page.pk)


def _keep(page, officer_user, comment, text=None, section=""):
    return summary_services.statement_add(
        consultation=page,
        actor=officer_user,
        text=text or comment.body.removeprefix("<p>").split(".")[0] + ".",
        references=[comment.reference],
        section_key=section,
    )


def test_officers_see_topics_of_the_whole_draft_and_of_each_section(page, comments, officer_user):
    response = _officer_client(officer_user).get(reverse("consultations:synthesis", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "glyphosate" in html and "labelling" in html and "转基因" in html
    # Quotes are verbatim, with the link to their comment.
    assert "The residue data on glyphosate are missing for the maize kernels." in html
    assert reverse("consultations:comment", args=[comments["r2"].reference]) in html
    whole, sections = consultation_synthesis(page)
    assert whole.result.size == 7
    assert [s.number for s in sections] == ["2", "3"]
    by_ref = {c.reference: c.body for c in comments.values()}
    for part in [whole, *sections]:
        for group in part.result.groups:
            for quote in group.quotes:
                assert quote.text in by_ref[quote.ref]


def test_pending_rejected_hidden_and_withheld_comments_never_enter_a_synthesis(
    page, comments, officer_user
):
    whole, sections = consultation_synthesis(page)
    refs = {ref for part in [whole, *sections] for g in part.result.groups for ref in g.refs}
    assert refs == {comments[k].reference for k in ("r0", "r1", "r2", "l0", "l1", "z0", "z1")}
    html = (
        _officer_client(officer_user)
        .get(reverse("consultations:synthesis", args=[page.pk]))
        .content.decode()
    )
    for canary in CANARIES.values():
        assert canary.split()[0] not in html


@pytest.mark.parametrize("who", ["anonymous", "participant", "editor"])
def test_only_officers_reach_the_synthesis_and_edit_the_summary(page, comments, who):
    client = Client()
    if who != "anonymous":
        client.force_login(commenter() if who == "participant" else editor())
    url = reverse("consultations:synthesis", args=[page.pk])
    response = client.get(url)
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert b"glyphosate" not in response.content
    response = client.post(
        reverse("consultations:summary_add", args=[page.pk]),
        {"add-text": "Stolen.", "add-sources": comments["r0"].reference},
    )
    assert response.status_code in (302, 403) and response.status_code != 200
    assert not SummaryStatement.objects.exists()


def test_keeping_a_quote_links_it_to_its_comment_and_is_audited(page, comments, officer_user):
    client = _officer_client(officer_user)
    response = client.post(
        reverse("consultations:summary_add", args=[page.pk]),
        {
            "add-text": "Glyphosate residue data are missing.",
            "add-sources": f"{comments['r1'].reference}, {comments['r2'].reference.lower()}",
            "add-section": section_key(page, "2"),
        },
    )
    assert response.status_code == 302
    statement = SummaryStatement.objects.get()
    assert [c.pk for c in statement.sources.order_by("sequence")] == [
        comments["r1"].pk,
        comments["r2"].pk,
    ]
    log = ModerationLog.for_item(statement).get()
    assert (log.action, log.actor) == ("summary_add", officer_user)
    assert comments["r1"].reference in log.note


@pytest.mark.parametrize("kind", ["pending", "rejected", "hidden", "confidential"])
def test_a_comment_that_is_not_public_cannot_be_a_source(page, comments, officer_user, kind):
    response = _officer_client(officer_user).post(
        reverse("consultations:summary_add", args=[page.pk]),
        {"add-text": "My careful wording.", "add-sources": comments[kind].reference},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only published comments can be sources" in html
    assert "My careful wording." in html  # nothing typed is lost
    assert not SummaryStatement.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"add-text": "", "add-sources": "X-1"},
        {"add-text": "Fine.", "add-sources": ""},
        {"add-text": "Fine.", "add-sources": "not a reference; ' OR 1=1"},
        {"add-text": "x" * 3000, "add-sources": "T1-0001"},
        {"add-text": "Fine.", "add-sources": "T1-0001", "add-section": "no-such-section"},
    ],
)
def test_bad_statements_are_refused_with_a_message(page, comments, officer_user, data):
    response = _officer_client(officer_user).post(
        reverse("consultations:summary_add", args=[page.pk]), data
    )
    assert response.status_code == 400
    assert not SummaryStatement.objects.exists()


def test_edits_and_removals_are_audited(page, comments, officer_user):
    statement = _keep(page, officer_user, comments["r0"])
    client = _officer_client(officer_user)
    response = client.post(
        reverse("consultations:summary_edit", args=[statement.pk]),
        {
            f"s{statement.pk}-text": "Residues must be tested.",
            f"s{statement.pk}-sources": comments["r0"].reference,
            f"s{statement.pk}-order": "5",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.text, statement.order) == ("Residues must be tested.", 5)
    client.post(reverse("consultations:summary_delete", args=[statement.pk]))
    assert not SummaryStatement.objects.exists()
    actions = list(
        ModerationLog.objects.filter(object_id=str(statement.pk), action__startswith="summary_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["summary_add", "summary_edit", "summary_delete"]


def test_the_published_outcome_shows_the_summary_with_its_references(page, comments, officer_user):
    _keep(page, officer_user, comments["r2"], section=section_key(page, "2"))
    _keep(page, officer_user, comments["z0"], text="转基因玉米的标识应该是强制性的。")
    before = Client().get(page.url).content.decode()
    assert "Summary of comments received" not in before  # a draft until the outcome
    page = _to_outcome(page)
    html = Client().get(page.url).content.decode()
    assert "Summary of comments received" in html
    assert "The residue data on glyphosate are missing for the maize kernels." in html
    assert "转基因玉米的标识应该是强制性的。" in html
    for key in ("r2", "z0"):
        assert reverse("consultations:comment", args=[comments[key].reference]) in html
    with pytest.raises(PermissionDenied):  # the record is fixed with the outcome
        _keep(page, officer_user, comments["r1"])


def test_a_source_hidden_later_is_not_shown_and_a_statement_without_public_source_is_not_published(
    page, comments, officer_user
):
    _keep(page, officer_user, comments["r0"], text="Phone 555-0100 in this statement.")
    both = summary_services.statement_add(
        consultation=page,
        actor=officer_user,
        text="Labels for consumers.",
        references=[comments["l0"].reference, comments["l1"].reference],
    )
    page = _to_outcome(page)
    comment_moderate(comment=comments["r0"], actor=officer_user, to_status="hidden", reason="PII")
    comment_moderate(comment=comments["l1"], actor=officer_user, to_status="hidden", reason="PII")
    html = Client().get(page.url).content.decode()
    assert "555-0100" not in html
    assert "Labels for consumers." in html
    assert comments["l0"].reference in html
    assert comments["l1"].reference not in html
    [part] = public_summary(page)
    assert [s.pk for s in part["statements"]] == [both.pk]
    officer_html = (
        _officer_client(officer_user)
        .get(reverse("consultations:synthesis", args=[page.pk]))
        .content.decode()
    )
    assert "No public source left" in officer_html


def test_an_empty_consultation_has_an_empty_synthesis(page, officer_user):
    response = _officer_client(officer_user).get(reverse("consultations:synthesis", args=[page.pk]))
    assert response.status_code == 200
    assert "No published comment to synthesise." in response.content.decode()


def test_the_chinese_interface_shows_the_synthesis(page, comments, officer_user):
    client = _officer_client(officer_user)
    response = client.get(f"/zh-hans/consultations/{page.pk}/synthesis/")
    assert response.status_code == 200
    assert "转基因" in response.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_synthesis_screen_costs_the_same_queries_for_3_or_30_comments(page, officer_user):
    client = _officer_client(officer_user)
    url = reverse("consultations:synthesis", args=[page.pk])
    for text in RESIDUES:
        published_comment(page, commenter(), officer_user, body=f"<p>{text}</p>")
    _keep(page, officer_user, page.comments.first())
    few = _count_queries(client, url)
    for n in range(27):
        comment = published_comment(
            page, commenter(), officer_user, body=f"<p>{LABELS[n % 2]} Number {n}.</p>"
        )
        _keep(page, officer_user, comment)
    many = _count_queries(client, url)
    assert many <= few


def test_the_published_summary_costs_the_same_queries_for_3_or_30_statements(page, officer_user):
    made = [
        published_comment(page, commenter(), officer_user, body=f"<p>{RESIDUES[n % 3]} {n}.</p>")
        for n in range(30)
    ]
    for comment in made[:3]:
        _keep(page, officer_user, comment)
    page = _to_outcome(page)
    few = _count_queries(Client(), page.url + "?a")  # a query string: past the page cache
    SummaryStatement.objects.bulk_create(
        [SummaryStatement(consultation=page, text=f"S{n}", order=10 + n) for n in range(27)]
    )
    for statement, comment in zip(
        SummaryStatement.objects.filter(text__startswith="S"), made[3:], strict=True
    ):
        statement.sources.add(comment)
    many = _count_queries(Client(), page.url + "?b")
    assert many <= few


def test_the_demo_outcome_shows_a_summary_with_its_sources(demo):
    page = ConsultationPage.objects.get(reference_code="LABGUIDE", locale__language_code="en")
    statements = list(SummaryStatement.objects.filter(consultation=page))
    assert statements
    html = Client().get(page.url).content.decode()
    assert "Summary of comments received" in html
    for statement in statements:
        [source] = statement.sources.all()
        assert statement.text in source.body
        assert reverse("consultations:comment", args=[source.reference]) in html


def test_a_comment_hidden_after_the_synthesis_was_cached_leaves_it(page, comments, officer_user):
    def refs():
        whole, _sections = consultation_synthesis(page)
        return {ref for group in whole.result.groups for ref in group.refs}

    assert comments["r2"].reference in refs()  # computed and cached
    comment_moderate(comment=comments["r2"], actor=officer_user, to_status="hidden", reason="PII")
    assert comments["r2"].reference not in refs()
