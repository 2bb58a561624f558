"""The follow-up of stored comments (search entry, campaign, receipt), per comment, with the
receipts going over SMTP to a sink in this process: one connection per batch, as
`consultations.services.comments.comments_followup` sends them, next to one connection per
mail, as it did before, in one run, taking turns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NEW .venv/bin/python bench/followup.py \\
        [--comments 400] [--rounds 2] [--latency-ms 0 2]

`--latency-ms`: how long the sink waits before each of its replies, as a mail server
elsewhere on the network answers after a round trip (0: the loopback only; a provider's
server over TLS costs more, which the sink does not imitate). The comments are written as
bench/comment_texts.py's flood (three in four in their own words, the fourth a form
letter); the follow-up runs in batches of the follow-up worker's size. Prints the CPU time
(this process) and the wall time per comment, the connections the sink saw, and the ratio.
"""

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
from bench.comment_texts import comment_text  # noqa: E402
from bench.consultations_load import (  # noqa: E402
    ensure_database,
    make_users,
    make_world,
    new_consultation,
    setup_django,
)


class SmtpSink:
    """A mail server that takes every mail and keeps none, counting connections and mails; in
    a process of its own, so that this process's CPU time is the follow-up's alone."""

    def __init__(self, latency: float):
        self.latency = latency
        self._connections = multiprocessing.Value("i", 0)
        self._mails = multiprocessing.Value("i", 0)
        ready = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=self._run, args=(ready,), daemon=True)
        self.process.start()
        self.port = ready.get(timeout=10)

    @property
    def connections(self) -> int:
        return self._connections.value

    @property
    def mails(self) -> int:
        return self._mails.value

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)

    def _run(self, ready) -> None:
        async def serve():
            server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            ready.put(server.sockets[0].getsockname()[1])
            await server.serve_forever()

        asyncio.run(serve())

    async def _serve(self, reader, writer) -> None:
        with self._connections.get_lock():
            self._connections.value += 1

        async def reply(text: bytes) -> None:
            if self.latency:
                await asyncio.sleep(self.latency)
            writer.write(text)
            await writer.drain()

        await reply(b"220 sink ESMTP\r\n")
        while line := await reader.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                await reply(b"250-sink\r\n250 8BITMIME\r\n")
            elif command == b"DATA":
                await reply(b"354 end with .\r\n")
                while (await reader.readline()) not in (b".\r\n", b""):
                    pass
                with self._mails.get_lock():
                    self._mails.value += 1
                await reply(b"250 queued\r\n")
            elif command == b"QUIT":
                await reply(b"221 bye\r\n")
                break
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                await reply(b"250 ok\r\n")
        writer.close()


def store_comments(page, users, n: int, run: str) -> list[int]:
    """`n` comments stored, their follow-up not run (the benchmark runs it)."""
    from consultations.services import comment_submit

    pks = []
    with mock.patch("consultations.services.comments._followup_later"):
        for i in range(n):
            author = users[i % len(users)]
            submission = comment_submit(
                consultation=page,
                author=author,
                body=comment_text(i % len(users), i, run),
                submission_token=uuid.uuid4(),
            )
            pks.append(submission.comment.pk)
    return pks


def follow_up(pks: list[int], per_mail: bool) -> tuple[float, float]:
    """(CPU s, wall s) of following up `pks` in the worker's batches."""
    from consultations import followup
    from consultations.services import comments

    shared = contextlib.nullcontext if per_mail else comments.mail_connection
    cpu, wall = time.process_time(), time.perf_counter()
    with mock.patch.object(comments, "mail_connection", shared):
        for start in range(0, len(pks), followup.BATCH):
            comments.comments_followup(pks[start : start + followup.BATCH])
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=400, help="per mode and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[0.0, 2.0])
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://… (a new database)")
    # The sinks first, forked before Django and its connections exist.
    sinks = [SmtpSink(latency / 1000) for latency in args.latency_ms]
    ensure_database(url)
    setup_django()
    from django.conf import settings

    home = make_world()
    page = new_consultation(home, "followup")
    users = make_users(20)
    run = uuid.uuid4().hex[:8]
    # Warm: the first follow-up loads templates, the search configuration and the page's URL.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    follow_up(store_comments(page, users, 20, run + "w"), per_mail=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", False, 10
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    print(
        f"{args.comments} comments per mode and round, {args.rounds} rounds, batches of 200; "
        f"PostgreSQL; CPU of this process"
    )
    print(f"{'sink latency':>12}  {'mode':28} {'CPU ms':>7} {'wall ms':>8} {'conns':>6}", end="")
    print(f" {'mails':>6}")
    for latency, sink in zip(args.latency_ms, sinks, strict=True):
        settings.EMAIL_PORT = sink.port
        totals = {False: [0.0, 0.0, 0, 0], True: [0.0, 0.0, 0, 0]}
        for round_no in range(args.rounds):
            # Each mode first in every other round: the consultation's comments and its
            # campaign grow as the run goes on.
            for per_mail in (True, False) if round_no % 2 == 0 else (False, True):
                pks = store_comments(page, users, args.comments, f"{run}-{latency}-{round_no}")
                conns, mails = sink.connections, sink.mails
                cpu, wall = follow_up(pks, per_mail)
                total = totals[per_mail]
                total[0] += cpu
                total[1] += wall
                total[2] += sink.connections - conns
                total[3] += sink.mails - mails
        n = args.comments * args.rounds
        for per_mail, label in ((True, "a connection per mail"), (False, "one per batch")):
            cpu, wall, conns, mails = totals[per_mail]
            print(
                f"{latency:>9.1f} ms  {label:28} {1000 * cpu / n:7.2f} {1000 * wall / n:8.2f} "
                f"{conns:6d} {mails:6d}"
            )
        before, after = totals[True], totals[False]
        print(
            f"{'':>12}  one per batch / per mail: CPU x{after[0] / before[0]:.2f}, "
            f"wall x{after[1] / before[1]:.2f}"
        )
        sink.stop()


if __name__ == "__main__":
    main()
