"""Consultation pages (Wagtail) with their decision file, the notifier's confidentiality
claims, comments, their counters and published outcomes."""

from .campaigns import Campaign, CampaignBucket  # noqa: F401
from .claims import Art216Item, ClaimDecision, ConfidentialityClaim  # noqa: F401
from .comments import Comment, CommentCounter, Disposition  # noqa: F401
from .outcomes import Outcome  # noqa: F401
from .pages import (  # noqa: F401
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationState,
    DecisionType,
    ModerationMode,
)
from .summaries import SummaryStatement  # noqa: F401
