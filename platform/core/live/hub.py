"""The per-process hub: one channel-layer subscription per audience per worker, not per socket.

A consumer per socket, each receiving every event through the channel layer, costs ~150-200 µs
of CPU per delivery and saturates a core at 10 events/s with 1,000 sockets (ARCHITECTURE.md).
Here each event loop (one per daphne worker) holds ONE channel from `layer.new_channel()`. The
channel is `group_add`ed to an audience when the first local socket joins it and
`group_discard`ed when the last one leaves; a single receive loop takes each event off the
layer once and offers its ready-made JSON text to the local sockets of that audience.

Written against the channel layer's public API only, so it runs on the in-memory layer (the
embedded default, one process) and on `RedisPubSubChannelLayer` (any number of workers). Their
differences that matter here:

- RedisPubSub: cancelling `receive()` unsubscribes the channel, so the receive loop is never
  cancelled except when the hub closes; a Redis restart is retried inside the layer, but
  whatever was published meanwhile is lost without an error.
- In-memory: a group membership expires after `group_expiry` (a day) and a channel whose
  messages wait longer than `expiry` (60 s) is removed from every group.

So a watchdog sends a probe through the layer to the hub's own channel every few seconds. If it
does not come back, the hub rebuilds its subscription (a new channel, every audience added
again); when probes flow again after a failure, every local socket is closed with CLOSE_RESYNC
so that its page reconnects and catches up from the database (the truth) on what it missed.
Memberships are also re-added every hour, which renews them on the in-memory layer.
"""

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Protocol

from channels.layers import get_channel_layer
from django.conf import settings

from .control import CONTROL_TYPE
from .events import ENVELOPE_TYPE

if TYPE_CHECKING:  # pragma: no cover
    from .consumer import LiveConsumer

logger = logging.getLogger(__name__)

PROBE_TYPE = "live.probe"
RENEW_SECONDS = 3600  # re-add memberships (in-memory group expiry is a day)


class LiveClient(Protocol):
    """What the hub needs of a socket (LiveConsumer implements it)."""

    def offer(self, text: str, seq: int | None, audience: str | None = None) -> None: ...

    def resync(self) -> None: ...

    def control(self, message: dict) -> None: ...


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


async def _stop(task: asyncio.Task) -> None:
    """Cancel a task and wait for it to end, without swallowing our own cancellation."""
    task.cancel()
    await asyncio.wait([task])


class _LoopHub:
    """The hub of one event loop: its channel, its audiences and their local clients."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.clients: dict[str, set[LiveClient]] = {}
        self.subscribed: set[str] = set()  # audiences whose group_add succeeded on `channel`
        self.healthy = True
        self.stats = {"received": 0, "delivered": 0, "rebuilds": 0, "resyncs": 0}
        self._lock = asyncio.Lock()
        self._receiver: asyncio.Task | None = None
        self._watchdog: asyncio.Task | None = None
        self._probes: dict[int, asyncio.Future] = {}
        self._probe_number = 0
        self.sockets_by: dict[tuple[str, str], int] = {}  # open sockets per session / address

    # --- caps --------------------------------------------------------------------------------

    def admit(self, wanted: list[tuple[tuple[str, str], int]]) -> bool:
        """Count one more socket under each (key, limit) if none is full (limit 0: none)."""
        if any(limit and self.sockets_by.get(key, 0) >= limit for key, limit in wanted):
            return False
        for key, _limit in wanted:
            self.sockets_by[key] = self.sockets_by.get(key, 0) + 1
        return True

    def release(self, keys: list[tuple[str, str]]) -> None:
        for key in keys:
            left = self.sockets_by.get(key, 0) - 1
            if left > 0:
                self.sockets_by[key] = left
            else:
                self.sockets_by.pop(key, None)

    # --- membership ------------------------------------------------------------------------

    async def join(self, audience: str, client: "LiveClient") -> None:
        async with self._lock:
            await self._start()
            clients = self.clients.setdefault(audience, set())
            clients.add(client)
            if audience not in self.subscribed:
                try:
                    await self.layer.group_add(audience, self.channel)
                    self.subscribed.add(audience)
                except Exception:
                    # The watchdog adds it again; the client catches up when it is resynced.
                    logger.exception("Live hub: could not subscribe to %s", audience)
                    self.healthy = False

    async def leave(self, audience: str, client: "LiveClient") -> None:
        # Forget the client at once (no event may reach a closed socket), then unsubscribe.
        clients = self.clients.get(audience)
        if not clients or client not in clients:
            return
        clients.discard(client)
        if clients:
            return
        async with self._lock:
            if self.clients.get(audience):  # someone joined while we waited for the lock
                return
            self.clients.pop(audience, None)
            if audience in self.subscribed and self.channel is not None:
                self.subscribed.discard(audience)
                try:
                    await self.layer.group_discard(audience, self.channel)
                except Exception:
                    logger.exception("Live hub: could not unsubscribe from %s", audience)

    def local_clients(self, audience: str) -> int:
        return len(self.clients.get(audience, ()))

    # --- receiving -------------------------------------------------------------------------

    async def _start(self) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel()
            self._receiver = asyncio.create_task(self._receive_loop(self.channel))
        if self._watchdog is None:
            self._watchdog = asyncio.create_task(self._watch())

    async def _receive_loop(self, channel: str) -> None:
        backoff = 0.1
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A layer error (Redis gone, an undecodable message): keep going; the watchdog
                # notices if the subscription itself is lost and rebuilds it.
                logger.exception("Live hub: receive failed on %s", channel)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.1
            try:
                self._dispatch(message)
            except Exception:
                logger.exception("Live hub: could not dispatch %r", message.get("type"))

    def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if kind == ENVELOPE_TYPE:
            self.stats["received"] += 1
            clients = self.clients.get(message.get("audience"))
            if not clients:
                return
            audience = message.get("audience")
            text, seq = message.get("text"), message.get("seq")
            if not isinstance(text, str):
                logger.warning("Live hub: event without text for %s", audience)
                return
            for client in list(clients):  # a client may leave while we offer (too slow)
                client.offer(text, seq, audience)
            self.stats["delivered"] += len(clients)
        elif kind == CONTROL_TYPE:
            for client in list(self.clients.get(message.get("audience"), ())):
                client.control(message)
        elif kind == PROBE_TYPE:
            future = self._probes.pop(message.get("n"), None)
            if future is not None and not future.done():
                future.set_result(True)
        else:
            logger.warning("Live hub: unexpected message type %r", kind)

    # --- watchdog --------------------------------------------------------------------------

    async def _watch(self) -> None:
        interval = _setting("LIVE_PROBE_SECONDS", 10.0)
        timeout = _setting("LIVE_PROBE_TIMEOUT", 5.0)
        renewed = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            try:
                renewed = await self._check(timeout, renewed)
            except asyncio.CancelledError:
                raise
            except Exception:  # the watchdog itself must outlive any surprise
                logger.exception("Live hub: watchdog check failed")

    async def _check(self, timeout: float, renewed: float) -> float:
        if not await self._probe(timeout):
            if self.healthy:
                logger.warning("Live hub: probe lost on %s; rebuilding", self.channel)
            self.healthy = False
            await self._rebuild()
            return renewed
        if not self.healthy:
            async with self._lock:
                await self._subscribe_all()
            if self.subscribed == set(self.clients):
                logger.warning("Live hub: subscription restored; clients resync")
                self.healthy = True
                self._resync_all()
        elif time.monotonic() - renewed > RENEW_SECONDS:
            async with self._lock:
                await self._subscribe_all(renew=True)
            return time.monotonic()
        return renewed

    async def _probe(self, timeout: float) -> bool:
        if self.channel is None:
            return True
        self._probe_number += 1
        number = self._probe_number
        future = asyncio.get_running_loop().create_future()
        self._probes[number] = future
        try:
            await asyncio.wait_for(
                self.layer.send(self.channel, {"type": PROBE_TYPE, "n": number}), timeout
            )
            await asyncio.wait_for(future, timeout)
            return True
        except Exception:
            return False
        finally:
            self._probes.pop(number, None)

    async def _subscribe_all(self, renew: bool = False) -> None:
        for audience in list(self.clients):
            if audience in self.subscribed and not renew:
                continue
            try:
                await self.layer.group_add(audience, self.channel)
                self.subscribed.add(audience)
            except Exception:
                logger.exception("Live hub: could not subscribe to %s", audience)
                self.subscribed.discard(audience)

    async def _rebuild(self) -> None:
        """A new channel, every audience added again; the old receive loop is stopped."""
        async with self._lock:
            self.stats["rebuilds"] += 1
            old_channel, old_receiver = self.channel, self._receiver
            self.subscribed.clear()
            if old_receiver is not None:
                await _stop(old_receiver)
            for audience in list(self.clients):
                with contextlib.suppress(Exception):
                    await self.layer.group_discard(audience, old_channel)
            self.channel = await self.layer.new_channel()
            self._receiver = asyncio.create_task(self._receive_loop(self.channel))
            await self._subscribe_all()

    def _resync_all(self) -> None:
        clients = {client for group in self.clients.values() for client in group}
        self.stats["resyncs"] += len(clients)
        for client in clients:
            client.resync()

    async def close(self) -> None:
        for task in (self._watchdog, self._receiver):
            if task is not None and task is not asyncio.current_task():
                await _stop(task)
        if self.channel is not None:
            for audience in list(self.subscribed):
                with contextlib.suppress(Exception):
                    await self.layer.group_discard(audience, self.channel)
        self.clients.clear()
        self.subscribed.clear()
        self.channel = None
        self._watchdog = self._receiver = None


class Hub:
    """The process's hub; the state lives per event loop (one in a daphne worker; tests run
    one loop per test), created lazily on first use, like the channel layers do."""

    def __init__(self, layer_alias: str = "default"):
        self.layer_alias = layer_alias
        self._loops: dict[asyncio.AbstractEventLoop, _LoopHub] = {}

    def _current(self, create: bool = True) -> _LoopHub | None:
        loop = asyncio.get_running_loop()
        state = self._loops.get(loop)
        if state is None and create:
            for old in [old for old in self._loops if old.is_closed()]:
                del self._loops[old]
            layer = get_channel_layer(self.layer_alias)
            if layer is None:
                raise RuntimeError("Live updates need a channel layer (CHANNEL_LAYERS).")
            state = self._loops[loop] = _LoopHub(layer)
        return state

    async def join(self, audience: str, client: "LiveConsumer") -> None:
        await self._current().join(audience, client)

    async def leave(self, audience: str, client: "LiveConsumer") -> None:
        state = self._current(create=False)
        if state is not None:
            await state.leave(audience, client)

    def admit(self, wanted: list[tuple[tuple[str, str], int]]) -> bool:
        """Whether one more socket fits under this process's caps (and count it if so)."""
        return self._current().admit(wanted)

    def release(self, keys: list[tuple[str, str]]) -> None:
        state = self._current(create=False)
        if state is not None and keys:
            state.release(keys)

    def local_clients(self, audience: str) -> int:
        """How many sockets of this process follow `audience` (for tests and metrics)."""
        state = self._current(create=False)
        return state.local_clients(audience) if state else 0

    @property
    def state(self) -> _LoopHub | None:
        return self._current(create=False)

    async def close(self) -> None:
        """Stop this loop's hub (tests; a worker simply exits)."""
        state = self._loops.pop(asyncio.get_running_loop(), None)
        if state is not None:
            await state.close()


hub = Hub()
