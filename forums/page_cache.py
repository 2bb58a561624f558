"""Which cached pages forum writes clear (core.page_cache_events).

Tags: "thread:<id>" (a thread's page), "group:<id>" (a group's page: its threads, counts and
last activity), "round:<id>" (what every page of the group shows of the round: its state,
theme and moderators' summary), "forum:<id>" (a forum's page), "forums-list" (the forums
index) and "rounds" (the home page's open rounds).
"""

from core.page_cache import SITE
from core.page_cache_events import clears_pages


def connect() -> None:
    from .models import DiscussionGroup, Forum, Post, Registration, Thread

    clears_pages(Post, lambda p: [f"thread:{p.thread_id}", f"group:{p.group_id}"])
    clears_pages(Thread, lambda t: [f"thread:{t.pk}", f"group:{t.group_id}"])
    clears_pages(
        DiscussionGroup,
        lambda g: (
            [f"group:{g.pk}", f"round:{g.pk}", f"forum:{g.forum_id}"] + ["forums-list", "rounds"]
        ),
    )
    # The header's "Forums" link appears with the first forum.
    clears_pages(Forum, lambda f: [f"forum:{f.pk}", "forums-list", "rounds", SITE])
    # Forum pages show how many are registered.
    clears_pages(Registration, lambda r: [f"forum:{r.forum_id}", "forums-list"])
