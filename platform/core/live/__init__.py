"""Live updates: one channel-layer subscription per process and audience, fanned out locally.

- `live_event(audience, data)`: services call it inside their transaction; the event leaves
  after commit (never on rollback), serialised to JSON once, for every worker.
- `hub`: the per-process hub. Each worker holds one channel-layer channel; the channel is added
  to an audience's group when the first local socket joins it and discarded when the last
  leaves; each event that arrives is written to that worker's local sockets of the audience.
- `LiveConsumer`: the base WebSocket consumer for live pages (validation, error events, close
  codes, a bounded outgoing queue that drops clients too slow to read).

See docs/realtime.md. Contract: LIVE_CONTRACT.md (forums) and ARCHITECTURE.md ("Fan out per
process, not per socket").
"""

from .consumer import (
    CLOSE_FORBIDDEN,
    CLOSE_RESYNC,
    CLOSE_TOO_SLOW,
    CLOSE_UNKNOWN_TARGET,
    LiveConsumer,
)
from .events import live_event
from .hub import Hub, hub

__all__ = [
    "CLOSE_FORBIDDEN",
    "CLOSE_RESYNC",
    "CLOSE_TOO_SLOW",
    "CLOSE_UNKNOWN_TARGET",
    "Hub",
    "LiveConsumer",
    "hub",
    "live_event",
]
