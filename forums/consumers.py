"""The discussion group's live socket (LIVE_CONTRACT.md): `/ws/forums/groups/<id>/`.

It follows the group's public events, the moderators' events if this user moderates the
group, and the user's own (their pending posts). It never writes. On `catch_up` it first
re-checks who the viewer is now (core.live: a demoted moderator is a reader from then on),
then reads the event log and sends each missed event as the visibility policy lets this viewer
see its post or thread NOW (forums.live.catch_up), so nothing is lost when a connection or
worker drops and nothing a moderator has since taken away comes back.
"""

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from core.live import LiveConsumer

from .live import audience_moderators, audience_public, audience_user, catch_up

MAX_SEQ = 2**63 - 1


def _viewer(group_id: int, user) -> dict | None:
    """Whether the group exists, whether this user moderates it, and their registration."""
    from . import rules
    from .models import DiscussionGroup

    group = DiscussionGroup.objects.select_related("forum").filter(pk=group_id).first()
    if group is None:
        return None
    if user is None:
        return {"moderator": False, "registration": None}
    return {
        "moderator": rules.is_group_moderator(user, group),
        "registration": rules.registration_status(user, group.forum),
    }


class GroupConsumer(LiveConsumer):
    async def get_audiences(self):
        """Asked at connect and again at every re-authorisation (core.live.control)."""
        try:
            group_id = int(self.scope["url_route"]["kwargs"]["group_id"])
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 < group_id <= MAX_SEQ:
            return None
        user = self.scope.get("user")
        authenticated = bool(user is not None and user.is_authenticated)
        viewer = await database_sync_to_async(_viewer)(group_id, user if authenticated else None)
        if viewer is None:
            return None
        self.group_id = group_id
        self.user_id = user.pk if authenticated else None
        self.moderator = viewer["moderator"]
        self.registration = viewer["registration"]
        audiences = [audience_public(group_id)]
        if self.moderator:
            audiences.append(audience_moderators(group_id))
        if authenticated:
            audiences.append(audience_user(group_id, user.pk))
        return audiences

    def access_key(self):
        # The page's forms depend on these too: a registration declined or revoked tells it.
        return (self.moderator, self.registration)

    async def handle_message(self, message: dict) -> None:
        if message["type"] != "catch_up":
            await self.send_error("unknown_type", "Only catch_up is understood here.")
            return
        after = message.get("after")
        if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= MAX_SEQ:
            await self.send_error("bad_after", "`after` must be a whole number, 0 or more.")
            return
        # The viewer's rights as they are now, not as they were when the socket opened.
        await self.reauthorise()
        if self._closing:
            return
        # Live events that arrive while the log is read wait, so that none overtakes an older
        # missed one; those the catch-up already sent (seq <= its end) are then dropped.
        self.hold_live()
        upto = None
        try:
            user = self.scope.get("user") if self.user_id is not None else AnonymousUser()
            missed = await database_sync_to_async(catch_up)(
                group_id=self.group_id, after=after, user=user, moderator=self.moderator
            )
            upto = missed["seq"]
            if missed["reload"]:
                await self.push({"type": "reload", "seq": upto})
                return
            for event in missed["events"]:
                await self.push(event)
            await self.push({"type": "caught_up", "seq": upto})
        finally:
            await self.release_live(after_seq=upto)
