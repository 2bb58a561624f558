"""WebSocket text frames built once per event and shared by every socket of a process.

A server's frames are not masked (RFC 6455, 5.1), so the bytes of one event's frame are the same
for every reader. Under daphne, LiveConsumer writes them straight to each socket's transport
instead of having autobahn build the same frame again per socket: that per-socket work is most
of what a delivery costs there.
"""

import struct
from collections import OrderedDict

_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 64  # events in flight at once in one process; older ones are rebuilt if needed


def build_text_frame(text: str) -> bytes:
    """One unfragmented, unmasked text frame (FIN, opcode 1) carrying `text` as UTF-8."""
    payload = text.encode("utf-8")
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x81, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, length)
    else:
        header = struct.pack("!BBQ", 0x81, 127, length)
    return header + payload


def text_frame(text: str) -> bytes:
    """The frame of `text`, built on the first call for an event and reused for the others."""
    frame = _CACHE.get(text)
    if frame is None:
        frame = _CACHE[text] = build_text_frame(text)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return frame
