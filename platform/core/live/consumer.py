"""The base consumer of live pages: validates what clients send, follows audiences through the
hub, and writes to its socket through a bounded queue so one slow reader never holds up others.

Subclasses say which audiences a socket may follow (`get_audiences`) and answer the messages
they understand (`handle_message`). They never write to the database.
"""

import asyncio
import json
import logging
import random
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied

from . import wire
from .control import control_audience, session_digest, session_user
from .events import encode
from .frames import text_frame
from .hub import hub

logger = logging.getLogger(__name__)

CLOSE_PROTOCOL = 4400  # too many bad or excess messages from this client; do not reconnect
CLOSE_SIGNED_OUT = 4401  # the socket's session ended (signed out, deactivated); reload the page
CLOSE_FORBIDDEN = 4403  # the viewer may not follow this target
CLOSE_UNKNOWN_TARGET = 4404  # no such group / thread, or no such WebSocket path
CLOSE_TOO_SLOW = 4408  # the socket did not keep up; reconnect and catch up
CLOSE_TOO_MANY = 4429  # too many sockets from this session or address on this worker
CLOSE_RESYNC = 4503  # the live feed was interrupted on the server; reconnect and catch up

# Defaults of the settings that bound what one client may hold or do (docs/realtime.md).
DEFAULT_MAX_VIOLATIONS = 10
DEFAULT_MAX_SOCKETS_PER_SESSION = 10
DEFAULT_MAX_SOCKETS_PER_ADDRESS = 100
DEFAULT_REAUTH_SECONDS = 60.0


def _setting(name: str, default):
    return type(default)(getattr(settings, name, default))


class LiveConsumer(AsyncWebsocketConsumer):
    """One live socket. Override `get_audiences` and `handle_message`.

    Everything the socket sends (hub events, `push`, `send_error`) goes through one bounded
    queue drained by a writer task, in order. A hub event that finds the queue full means the
    client cannot keep up: it is closed with 4408 and catches up when it reconnects. Under
    daphne the writer also closes the socket when the kernel-side backlog of unsent bytes
    passes `max_buffer_bytes` (daphne's send never waits for a slow reader).

    A signed-in socket is re-authorised (`reauthorise`) when its user's control audience says
    their rights or sessions changed (core.live.control), and every LIVE_REAUTH_SECONDS.
    Each worker admits at most LIVE_MAX_SOCKETS_PER_SESSION sockets of one signed-in session
    and LIVE_MAX_SOCKETS_PER_ADDRESS of one client address (0: no limit), and closes a socket
    after LIVE_MAX_VIOLATIONS bad or excess messages.
    """

    # No channel-layer channel per socket: that per-socket subscription is exactly the cost the
    # hub removes. An alias that is not configured makes Channels skip it.
    channel_layer_alias = "live-hub-only"

    max_message_bytes = 4096
    max_queue = 256  # events waiting for this socket
    max_buffer_bytes = 1 << 20  # bytes written but not yet sent to a slow reader (daphne)
    wire_fast_path = True  # under daphne, write hub events as ready-made frames (see offer)
    push_timeout = 10.0  # seconds a push may wait for room in the queue
    messages_per_window = 30  # client messages allowed per `message_window` seconds
    message_window = 10.0

    # --- for subclasses --------------------------------------------------------------------

    async def get_audiences(self) -> list[str] | None:
        """Which audiences this socket may follow, from self.scope (user, url_route).
        None closes the socket with 4404; raising PermissionDenied closes it with 4403."""
        return None

    async def handle_message(self, message: dict) -> None:
        """A validated JSON object with a string "type" ("ping" is answered already)."""
        await self.send_error("unknown_type", f"Unknown message type {message['type']!r}.")

    async def push(self, data: dict) -> None:
        """Send one JSON event to this socket only, after what is already queued for it."""
        await self._enqueue(encode(data))

    async def send_error(self, code: str, message: str) -> None:
        """An error event; the connection stays up, until the client has broken the protocol
        more than LIVE_MAX_VIOLATIONS times: then it is closed with 4400 (a flood of bad
        frames costs the server an answer each)."""
        self._violations += 1
        if self._violations > _setting("LIVE_MAX_VIOLATIONS", DEFAULT_MAX_VIOLATIONS):
            self._drop(CLOSE_PROTOCOL)
            return
        await self.push({"type": "error", "error": code, "message": message})

    def access_key(self):
        """What, besides its audiences, this socket's page depends on (a subclass returns e.g.
        the viewer's role); a change after re-authorisation tells the page `access.changed`."""
        return None

    async def reauthorise(self) -> None:
        """Re-check this socket's session and rights now, as a new request would: a session
        that ended closes it (4401); lost rights leave their audiences; a change is pushed
        as {"type": "access.changed"} so the page can offer a reload. Live events wait while
        it runs, and only those the socket may still follow are delivered."""
        if self._user_id is None or self._closing:
            return
        self._pause()
        async with self._reauth_lock:
            self._pause()  # again: a re-check that ran before this one resumed delivery
            try:
                await self._reauthorise()
            finally:
                self._resume()

    def hold_live(self) -> None:
        """Keep live events aside while catch-up is being read and pushed (so a live event can
        never overtake an older missed one)."""
        if self._held is None:
            self._held = []

    async def release_live(self, after_seq: int | None = None) -> None:
        """Queue the held live events, except those with seq <= `after_seq` (already sent by
        catch-up). Events without a seq are always kept."""
        held, self._held = self._held or [], None
        for text, seq in held:
            if after_seq is not None and seq is not None and seq <= after_seq:
                continue
            self.offer(text, seq)

    # --- connection ------------------------------------------------------------------------

    async def __call__(self, scope, receive, send):
        self.audiences: list[str] = []
        self._queue: asyncio.Queue[str] = asyncio.Queue(self.max_queue)
        self._held: list[tuple[str, int | None]] | None = None
        self._paused: list[tuple[str | None, str, int | None]] | None = None
        self._writer: asyncio.Task | None = None
        self._closing = False
        self._closer: asyncio.Task | None = None
        self._recent: list[float] = []
        self._violations = 0
        self._wire = None  # daphne's protocol, for the direct write path
        self._admitted: list[tuple[str, str]] = []  # this socket's places in the worker's caps
        self._user_id: int | None = None
        self._session_key: str | None = None
        self._reauth_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task] = set()  # re-checks in flight
        self._access = None  # (audiences, access_key()) as last authorised
        try:
            await super().__call__(scope, receive, send)
        finally:
            # However the socket ends (disconnect, crash, cancellation), leave the hub.
            await self._leave_all()

    async def connect(self):
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            self._user_id = user.pk
            self._session_key = getattr(self.scope.get("session"), "session_key", None)
        if not self._admit():
            await self._refuse(CLOSE_TOO_MANY)
            return
        try:
            audiences = await self.get_audiences()
        except PermissionDenied:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        if audiences is None:
            await self._refuse(CLOSE_UNKNOWN_TARGET)
            return
        if self._user_id is not None:
            audiences = [*audiences, control_audience(self._user_id)]
        audiences = list(dict.fromkeys(audiences))
        self._access = (tuple(audiences), self.access_key())
        # Subscribed before the handshake completes: once the page sees the socket open, no
        # event can slip between its catch-up request and the live feed.
        for audience in audiences:
            self.audiences.append(audience)
            await hub.join(audience, self)
        await self.accept()
        self._wire = self._daphne_protocol()
        self._writer = asyncio.create_task(self._write_loop())
        if self._user_id is not None:
            self._spawn(self._recheck_loop())

    def _admit(self) -> bool:
        """A place under this worker's caps: per signed-in session and per client address."""
        wanted = []
        if self._user_id is not None and self._session_key:
            limit = _setting("LIVE_MAX_SOCKETS_PER_SESSION", DEFAULT_MAX_SOCKETS_PER_SESSION)
            wanted.append((("session", self._session_key), limit))
        client = self.scope.get("client")
        if client and client[0]:
            limit = _setting("LIVE_MAX_SOCKETS_PER_ADDRESS", DEFAULT_MAX_SOCKETS_PER_ADDRESS)
            wanted.append((("address", str(client[0])), limit))
        admitted = hub.admit(wanted)
        if admitted:
            self._admitted = [key for key, _limit in wanted]
        return admitted

    async def _refuse(self, code: int) -> None:
        # Accept first: a close before the handshake reaches the browser as a bare HTTP 403,
        # without the code that tells the page what went wrong.
        self._closing = True
        await self.accept()
        await self.close(code)

    async def websocket_disconnect(self, message):
        await self._leave_all()
        await super().websocket_disconnect(message)

    async def _leave_all(self) -> None:
        self._closing = True
        admitted, self._admitted = getattr(self, "_admitted", []), []
        hub.release(admitted)
        for task in list(getattr(self, "_tasks", ())):
            if task is not asyncio.current_task():
                task.cancel()
        audiences, self.audiences = getattr(self, "audiences", []), []
        for audience in audiences:
            try:
                await hub.leave(audience, self)
            except Exception:
                logger.exception("Live: could not leave %s", audience)
        writer, self._writer = getattr(self, "_writer", None), None
        if writer is not None and writer is not asyncio.current_task():
            writer.cancel()

    # --- incoming --------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self._closing:
            return
        if self._over_rate():
            await self.send_error("rate_limited", "Too many messages; slow down.")
            return
        if bytes_data is not None or text_data is None:
            await self.send_error("binary", "Send JSON text, not binary frames.")
            return
        if len(text_data) > self.max_message_bytes or (
            len(text_data.encode("utf-8")) > self.max_message_bytes
        ):
            await self.send_error(
                "too_large", f"Messages are limited to {self.max_message_bytes} bytes."
            )
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_json", "The message is not valid JSON.")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("bad_message", 'Send a JSON object with a string "type".')
            return
        if message["type"] == "ping":
            await self.push({"type": "pong"})
            return
        await self.handle_message(message)

    def _over_rate(self) -> bool:
        now = time.monotonic()
        self._recent = [t for t in self._recent if now - t < self.message_window]
        self._recent.append(now)
        return len(self._recent) > self.messages_per_window

    # --- outgoing --------------------------------------------------------------------------

    def offer(self, text: str, seq: int | None, audience: str | None = None) -> None:
        """Called by the hub for each event of a followed audience. Never blocks."""
        if self._closing:
            return
        if audience is not None and audience not in self.audiences:
            return  # left (e.g. a moderator's audience after a demotion) while it travelled
        if self._paused is not None:  # a re-check is running: deliver after it, if still ours
            if len(self._paused) >= self.max_queue:
                self._drop(CLOSE_TOO_SLOW)
            else:
                self._paused.append((audience, text, seq))
            return
        if self._held is not None:
            if len(self._held) >= self.max_queue:
                self._drop(CLOSE_TOO_SLOW)
            else:
                self._held.append((text, seq))
            return
        if self._wire is not None and self._queue.empty() and self._wire_open():
            # daphne: nothing queued before this event, so it may go straight to the socket,
            # as a frame built once for every socket of this process.
            wire.write_frame(self._wire, text_frame(text))
            if self._backlog() > self.max_buffer_bytes:
                self._drop(CLOSE_TOO_SLOW)
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self._drop(CLOSE_TOO_SLOW)

    def resync(self) -> None:
        """Called by the hub when its feed was interrupted: reconnect and catch up."""
        self._drop(CLOSE_RESYNC)

    def control(self, message: dict) -> None:
        """Called by the hub for a message on this user's control audience: their rights or
        sessions changed somewhere. Never blocks: the re-check runs as a task, and live events
        wait for it."""
        if self._closing:
            return
        ended = message.get("ended")
        if ended and ended == session_digest(self._session_key):
            self._drop(CLOSE_SIGNED_OUT)  # this very session signed out
            return
        self._pause()
        self._spawn(self.reauthorise())

    # --- re-authorisation ------------------------------------------------------------------

    def _pause(self) -> None:
        if self._paused is None:
            self._paused = []

    def _resume(self) -> None:
        paused, self._paused = self._paused or [], None
        for audience, text, seq in paused:
            self.offer(text, seq, audience)

    def _spawn(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reauthorise(self) -> None:
        user = await database_sync_to_async(session_user)(self._session_key)
        if self._closing:
            return
        if not user.is_authenticated or user.pk != self._user_id:
            self._drop(CLOSE_SIGNED_OUT)
            return
        self.scope["user"] = user
        try:
            audiences = await self.get_audiences()
        except PermissionDenied:
            self._drop(CLOSE_FORBIDDEN)
            return
        if audiences is None:
            self._drop(CLOSE_UNKNOWN_TARGET)
            return
        if self._closing:
            return
        wanted = list(dict.fromkeys([*audiences, control_audience(self._user_id)]))
        for audience in [a for a in self.audiences if a not in wanted]:
            self.audiences.remove(audience)  # no event of it is offered from now on
            await hub.leave(audience, self)
        for audience in [a for a in wanted if a not in self.audiences]:
            self.audiences.append(audience)
            await hub.join(audience, self)
        access = (tuple(wanted), self.access_key())
        if access != self._access:
            self._access = access
            await self.push({"type": "access.changed"})

    async def _recheck_loop(self) -> None:
        """The backstop for a lost control message: re-check every LIVE_REAUTH_SECONDS
        (spread ±20%, so that a worker's sockets do not all ask the database at once)."""
        interval = _setting("LIVE_REAUTH_SECONDS", DEFAULT_REAUTH_SECONDS)
        if interval <= 0:
            return
        while not self._closing:
            await asyncio.sleep(interval * random.uniform(0.8, 1.2))  # noqa: S311 - not a secret
            await self.reauthorise()

    async def _enqueue(self, text: str) -> None:
        if self._closing:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            # Our own replies (catch-up) may wait a little for the writer, not forever.
            try:
                await asyncio.wait_for(self._queue.put(text), self.push_timeout)
            except TimeoutError:
                self._drop(CLOSE_TOO_SLOW)

    async def _write_loop(self) -> None:
        while True:
            text = await self._queue.get()
            try:
                await self.send(text_data=text)
            except Exception:
                # The server refused the write (the socket is gone): stop following.
                logger.debug("Live: write failed; dropping the socket", exc_info=True)
                self._drop(CLOSE_TOO_SLOW)
                return
            if self._backlog() > self.max_buffer_bytes:
                self._drop(CLOSE_TOO_SLOW)
                return

    def _drop(self, code: int) -> None:
        if self._closing:
            return
        self._closing = True
        self._closer = asyncio.create_task(self._close_now(code))

    async def _close_now(self, code: int) -> None:
        writer, self._writer = self._writer, None
        if writer is not None and writer is not asyncio.current_task():
            writer.cancel()
        await self._leave_all()
        await self.close(code)

    def _daphne_protocol(self):
        """daphne's protocol behind our `send` when frames may be written to it directly."""
        if not self.wire_fast_path:
            return None
        return wire.server_protocol(getattr(self, "base_send", None))

    def _wire_open(self) -> bool:
        return wire.can_write_frames(self._wire)

    def _backlog(self) -> int:
        """Bytes daphne has accepted for this socket but the client has not read yet (0 with
        other servers: uvicorn's send waits for a slow reader itself, so the queue fills)."""
        return wire.backlog(self._wire or wire.server_protocol(getattr(self, "base_send", None)))
