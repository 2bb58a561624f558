"""Every write of the consultations app. Views parse input and call one of these; each
checks its rule in rules.py itself and sends mail only after its transaction commits."""

from .comments import (  # noqa: F401
    Submission,
    _next_sequence,
    comment_rate,
    comment_submit,
    comment_url,
    count_comment_ahead,
)
from .moderation import comment_moderate, comment_respond  # noqa: F401
from .outcomes import consultation_close_now, outcome_blockers, outcome_publish  # noqa: F401
