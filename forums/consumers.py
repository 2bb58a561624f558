"""The discussion group's live socket (LIVE_CONTRACT.md): `/ws/forums/groups/<id>/`.

It follows the group's public events, the moderators' events if this user moderates the
group, and the user's own (their pending posts). It never writes; on `catch_up` it reads the
event log for what this viewer missed, so nothing is lost when a connection or worker drops.
"""

from channels.db import database_sync_to_async

from core.live import LiveConsumer

from .live import CATCH_UP_LIMIT, audience_moderators, audience_public, audience_user, events_after

MAX_SEQ = 2**63 - 1


def _viewer(group_id: int, user) -> dict | None:
    """Whether the group exists, and whether this user moderates it."""
    from . import rules
    from .models import DiscussionGroup

    group = DiscussionGroup.objects.filter(pk=group_id).first()
    if group is None:
        return None
    return {
        "moderator": bool(user is not None and rules.is_group_moderator(user, group)),
        "last_seq": group.last_seq,
    }


def _missed(group_id: int, after: int, user_id: int | None, moderator: bool) -> dict:
    from .models import DiscussionGroup

    # The current number first: everything up to it comes from the log, anything after it
    # arrives live on the audiences this socket already follows.
    seq = DiscussionGroup.objects.filter(pk=group_id).values_list("last_seq", flat=True).first()
    seq = seq or 0
    events = events_after(
        group_id=group_id, after=after, upto=seq, user_id=user_id, moderator=moderator
    )
    return {"events": [event.as_message() for event in events], "seq": seq}


class GroupConsumer(LiveConsumer):
    async def get_audiences(self):
        try:
            group_id = int(self.scope["url_route"]["kwargs"]["group_id"])
        except (KeyError, TypeError, ValueError):
            return None
        user = self.scope.get("user")
        authenticated = bool(user is not None and user.is_authenticated)
        viewer = await database_sync_to_async(_viewer)(group_id, user if authenticated else None)
        if viewer is None:
            return None
        self.group_id = group_id
        self.user_id = user.pk if authenticated else None
        self.moderator = viewer["moderator"]
        audiences = [audience_public(group_id)]
        if self.moderator:
            audiences.append(audience_moderators(group_id))
        if authenticated:
            audiences.append(audience_user(group_id, user.pk))
        return audiences

    async def handle_message(self, message: dict) -> None:
        if message["type"] != "catch_up":
            await self.send_error("unknown_type", "Only catch_up is understood here.")
            return
        after = message.get("after")
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_SEQ:
            await self.send_error("bad_after", "`after` must be a whole number, 0 or more.")
            return
        # Live events that arrive while the log is read wait, so that none overtakes an older
        # missed one; those the catch-up already sent (seq <= its end) are then dropped.
        self.hold_live()
        upto = None
        try:
            missed = await database_sync_to_async(_missed)(
                self.group_id, after, self.user_id, self.moderator
            )
            upto = missed["seq"]
            events = missed["events"]
            if len(events) > CATCH_UP_LIMIT:
                await self.push({"type": "reload", "seq": upto})
                return
            for event in events:
                await self.push(event)
            await self.push({"type": "caught_up", "seq": upto})
        finally:
            await self.release_live(after_seq=upto)
