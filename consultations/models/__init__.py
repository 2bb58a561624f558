"""Consultation pages (Wagtail), comments, their counters and published outcomes."""

from .comments import Comment, CommentCounter, Disposition  # noqa: F401
from .outcomes import Outcome  # noqa: F401
from .pages import (  # noqa: F401
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationState,
    DecisionType,
    ModerationMode,
)
