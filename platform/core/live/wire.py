"""daphne's side of a socket, for the two things the ASGI interface does not offer: how many
bytes are still waiting for a slow reader, and writing one ready-made frame without the
per-socket detour through autobahn and a deferred Twisted write.

Everything here is optional: with any other server (or in tests) `server_protocol` returns None
and LiveConsumer uses the plain ASGI `send`.
"""

import functools


def server_protocol(send):
    """daphne's WebSocket protocol behind an ASGI `send`, or None for other servers.

    daphne passes `partial(server.handle_reply, protocol)`; Channels' session middleware wraps
    it in a bound method whose instance keeps the original as `real_send`."""
    for _ in range(5):
        if isinstance(send, functools.partial):
            return send.args[0] if send.args and hasattr(send.args[0], "transport") else None
        inner = getattr(getattr(send, "__self__", None), "real_send", None)
        if inner is None:
            return None
        send = inner
    return None


def backlog(protocol) -> int:
    """Bytes written for this socket that the kernel has not taken yet (Twisted's buffers)."""
    transport = getattr(protocol, "transport", None)
    try:
        return len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    except (AttributeError, TypeError):
        return 0


def can_write_frames(protocol) -> bool:
    """An open autobahn WebSocket on a plain Twisted TCP connection (not TLS: there the bytes
    must go through the TLS layer), with nothing of autobahn's own waiting to be sent."""
    try:
        from twisted.internet import tcp
    except ImportError:  # pragma: no cover - daphne always brings Twisted
        return False
    return (
        isinstance(getattr(protocol, "transport", None), tcp.Connection)
        and getattr(protocol, "state", None) == getattr(protocol, "STATE_OPEN", object())
        and not getattr(protocol, "send_queue", True)
    )


def write_frame(protocol, frame: bytes) -> None:
    """Write a complete WebSocket frame to the socket now if Twisted has nothing queued for it
    (one send() call, as asyncio's transports do), else queue it behind what Twisted holds.
    Either way the frame goes out whole and in order."""
    transport = protocol.transport
    if not transport.connected or transport.disconnecting:
        return
    if backlog(protocol) == 0:
        written = transport.writeSomeData(frame)
        if isinstance(written, BaseException):
            return  # the connection is lost; Twisted notices and daphne disconnects us
        if written >= len(frame):
            return
        frame = frame[written:]
    transport.write(frame)
