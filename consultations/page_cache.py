"""Which cached pages a consultation's comments, outcome and confidentiality decisions clear
(core.page_cache_events): the consultation's pages in every language, and the listings that
show its state."""

from core.page_cache_events import clears_pages, page_tag

from .models.pages import consultation_tag


def connect() -> None:
    from .models import Comment, ConfidentialityClaim, Outcome, SummaryStatement

    # A comment published, hidden, answered or withdrawn changes what its consultation shows.
    # One not yet public when sent (pre-moderation) changes no cached page: its author's own
    # list is read afresh. Not writing to Redis inside the submission's transaction, which
    # holds the consultation's counter row, shortens every other writer's wait.
    clears_pages(
        Comment,
        lambda c: [consultation_tag(c.consultation_id)],
        unseen_when_new=lambda c: not c.is_public,
    )
    clears_pages(Outcome, lambda o: [consultation_tag(o.consultation_id), "consultations-list"])
    # The outcome's summary of comments received (its services clear too, after M2M writes).
    clears_pages(SummaryStatement, lambda s: [consultation_tag(s.consultation_id)])
    # A confidentiality decision (Art. 21) changes what the decision file shows.
    clears_pages(ConfidentialityClaim, lambda c: [page_tag(c.page_id), consultation_tag(c.page_id)])
