"""The baseline: a minimal asyncio WebSocket broadcast server (the `websockets` library).

Every text message received from a publisher connection (path /publish) is written to every
subscriber connection (any other path). No framework, no channel layer, no database: the
floor that the forums' live delivery is compared with in bench/forums_fanout.py.

    python bench/raw_broadcast.py --port 8765        # serve until interrupted
"""

import argparse
import asyncio

from websockets.asyncio.server import broadcast, serve


async def run(host: str, port: int, ready: asyncio.Event | None = None) -> None:
    subscribers = set()

    async def handler(connection):
        if connection.request.path == "/publish":
            async for message in connection:
                broadcast(subscribers, message)
            return
        subscribers.add(connection)
        try:
            await connection.wait_closed()
        finally:
            subscribers.discard(connection)

    # No permessage-deflate: daphne does not compress either, so both write the same frames.
    async with serve(handler, host, port, max_queue=None, ping_interval=None, compression=None):
        if ready is not None:
            ready.set()
        await asyncio.Future()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    print(f"raw broadcast on ws://{args.host}:{args.port}/ (publish on /publish)", flush=True)
    asyncio.run(run(args.host, args.port))


if __name__ == "__main__":
    main()
