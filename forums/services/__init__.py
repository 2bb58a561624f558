"""Every write in the forums. Each checks the rules, validates, saves inside one transaction,
logs moderators' actions in core's audit log, and publishes live events after commit.

Views and the admin call these functions; nothing else writes forum data.
"""

from .moderation import (
    flag_create,
    flag_dismiss,
    post_approve,
    post_hide,
    post_reject,
    post_restore,
    thread_set_closed,
    thread_set_pinned,
)
from .notifications import digest_send, notification_settings_update
from .posts import post_create, post_edit, post_rate, thread_create
from .queue import queue_counts
from .registrations import registration_decide, registration_submit
from .rounds import round_close_now, rounds_announce, summary_post

__all__ = [
    "digest_send",
    "flag_create",
    "flag_dismiss",
    "notification_settings_update",
    "post_approve",
    "post_create",
    "post_edit",
    "post_hide",
    "post_rate",
    "post_reject",
    "post_restore",
    "queue_counts",
    "registration_decide",
    "registration_submit",
    "round_close_now",
    "rounds_announce",
    "summary_post",
    "thread_create",
    "thread_set_closed",
    "thread_set_pinned",
]
