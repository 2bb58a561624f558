"""Which cached pages a consultation's comments, outcome and confidentiality decisions clear
(core.page_cache_events): the consultation's pages in every language, and the listings that
show its state."""

from core.page_cache_events import clears_pages, page_tag

from .models.pages import consultation_tag


def connect() -> None:
    from .models import Comment, ConfidentialityClaim, Outcome, SummaryStatement

    # A comment published, hidden, answered or withdrawn changes what its consultation shows.
    clears_pages(Comment, lambda c: [consultation_tag(c.consultation_id)])
    clears_pages(Outcome, lambda o: [consultation_tag(o.consultation_id), "consultations-list"])
    # The outcome's summary of comments received (its services clear too, after M2M writes).
    clears_pages(SummaryStatement, lambda s: [consultation_tag(s.consultation_id)])
    # A confidentiality decision (Art. 21) changes what the decision file shows.
    clears_pages(ConfidentialityClaim, lambda c: [page_tag(c.page_id), consultation_tag(c.page_id)])
