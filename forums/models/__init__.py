"""The forums' data: forums (events) → discussion groups (rounds) → threads → posts,
with registrations, flags, edit history, notification settings and the per-group event log."""

from .events import EventAudience, ForumEvent
from .forums import Forum, Registration, RegistrationPolicy, RegistrationStatus
from .groups import DiscussionGroup, ModerationMode, RoundState
from .notifications import NotificationSettings
from .posts import Flag, FlagStatus, Post, PostRevision, Thread

__all__ = [
    "DiscussionGroup",
    "EventAudience",
    "Flag",
    "FlagStatus",
    "Forum",
    "ForumEvent",
    "ModerationMode",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "Registration",
    "RegistrationPolicy",
    "RegistrationStatus",
    "RoundState",
    "Thread",
]
