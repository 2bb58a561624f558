"""Grouping quality on a corpus written apart from the benchmark's generator
(tests/consultations/campaign_corpus.py): English and Chinese form letters copied with the
edits people make, among independent comments on the same subjects and one-sentence quotes.
Scored as the benchmark scores (pairs of comments grouped together): precision >= 0.98,
recall >= 0.95, both as comments arrive one by one and after a regrouping."""

from collections import Counter

import pytest

from consultations.campaigns.regroup import regroup
from consultations.models import Comment

from . import campaign_corpus as K
from .factories import commenter, make_consultation, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrived(home, django_capture_on_commit_callbacks):
    """Every comment of the corpus submitted in order, each placed after its commit as a
    real submission is. Returns the page and {comment pk: letter or None}."""
    page = make_consultation(home, state="open", moderation_mode="post")
    truth = {}
    for body, label in K.corpus():
        html = "".join(f"<p>{part}</p>" for part in body.split("\n") if part.strip())
        with django_capture_on_commit_callbacks(execute=True):
            comment = submit(page, commenter(), body=html)
        truth[comment.pk] = label
    return page, truth


def _scores(page, truth):
    grouped = dict(Comment.objects.filter(consultation=page).values_list("pk", "campaign_id"))

    def pairs(counts):
        return sum(n * (n - 1) // 2 for n in counts.values())

    true_pairs = pairs(Counter(label for label in truth.values() if label))
    found_pairs = pairs(Counter(g for g in grouped.values() if g))
    both = pairs(Counter((truth[pk], g) for pk, g in grouped.items() if truth[pk] and g))
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall, grouped


def _missed(truth, grouped):
    """For the failure message: which letters' copies ended where."""
    by_letter = {}
    for pk, label in truth.items():
        by_letter.setdefault(label, Counter())[grouped[pk]] += 1
    return by_letter


def _assert_quality(page, truth):
    precision, recall, grouped = _scores(page, truth)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall, _missed(truth, grouped))
    individual = [pk for pk, label in truth.items() if label is None]
    assert all(grouped[pk] is None for pk in individual), "an individual comment was grouped"
    # One campaign per letter, in English and Chinese alike.
    for letter in K.LETTERS:
        campaigns = {grouped[pk] for pk, label in truth.items() if label == letter}
        assert len(campaigns) == 1 and None not in campaigns, (letter, _missed(truth, grouped))


def test_an_unseen_corpus_is_grouped_well_as_comments_arrive(arrived):
    _assert_quality(*arrived)


def test_an_unseen_corpus_is_grouped_well_by_a_regrouping(arrived):
    page, truth = arrived
    Comment.objects.filter(consultation=page).update(campaign=None)
    regroup(page)
    _assert_quality(page, truth)


def test_the_corpus_edits_are_the_ones_the_issue_names():
    # The corpus must hold each kind of copy the issue lists, in both languages, and the
    # comments that must stay apart: a test of the grouping is only as good as its corpus.
    kinds = set(K.copies("A"))
    assert {"greeting", "paragraph", "removed", "reworded", "shortened"} <= kinds
    assert {zh for _s, _r, _o, zh in K.LETTERS.values()} == {True, False}
    assert sum(1 for body in K.INDIVIDUAL if any(s in body for s in K.A + K.B + K.C + K.D)) >= 3


LONG_OWN_PARAGRAPH = (
    "I farm maize and beans on four hectares near Kitale with my two brothers, and every season "
    "we buy certified seed from the cooperative store because our own saved seed no longer "
    "germinates well. Last year the store sold a hybrid without telling us what traits it "
    "carried, and the extension officer could not answer our questions about it either. We "
    "need plain information in Swahili, printed on the bag, and a telephone number that a "
    "farmer can call when something goes wrong in the field."
)


def test_a_shortened_copy_that_met_a_young_campaign_joins_it_once_its_text_settles(
    home, django_capture_on_commit_callbacks
):
    """The campaign begins with two copies carrying the same long paragraph, so its common
    text is at first the letter and that paragraph: a shortened copy covers too little of
    it and stays alone. When plain copies outnumber the first two, the common text is the
    letter, and the shortened copy joins (placement looks again at each rebuild)."""
    from . import campaign_texts as T

    page = make_consultation(home, state="open", moderation_mode="post")

    def send(body):
        html = "".join(f"<p>{part}</p>" for part in body.split("\n") if part.strip())
        with django_capture_on_commit_callbacks(execute=True):
            return submit(page, commenter(), body=html)

    with_paragraph = T.LETTER_EN.replace("Please reject", LONG_OWN_PARAGRAPH + "\nPlease reject")
    send(with_paragraph), send(with_paragraph)
    shortened = send(T.SHORTENED_EN)
    shortened.refresh_from_db()
    assert shortened.campaign_id is None  # the young campaign's text is mostly the paragraph
    for _ in range(3):
        send(T.LETTER_EN)
    shortened.refresh_from_db()
    campaign = Comment.objects.order_by("sequence").first().campaign
    assert shortened.campaign_id == campaign.pk
    assert campaign.size == Comment.objects.filter(campaign=campaign).count() == 6
    assert "Kind regards" in shortened.campaign_added_text
