"""Rebuild the search index: `manage.py search_rebuild [--restart] [--batch-size N]`.

Resumable: an interrupted run (Ctrl-C, a deploy) continues from its last batch when run
again; `--restart` starts over. The site keeps answering meanwhile: entries are replaced
batch by batch, never dropped all at once.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search import rebuild
from search.backends import get_backend
from search.models import SearchEntry


class Command(BaseCommand):
    help = "Rebuild the search index (resumable; --restart to start over)."

    def add_arguments(self, parser):
        parser.add_argument("--restart", action="store_true", help="ignore an earlier run")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, restart=False, batch_size=500, **options):
        if not 1 <= batch_size <= 10_000:
            raise CommandError("--batch-size must be between 1 and 10,000.")
        quiet = options["verbosity"] == 0
        started = time.perf_counter()
        for source, checkpoint in rebuild.plan(restart=restart):
            if checkpoint.done:
                continue
            bar = None if quiet else ProgressBar(self.stdout, source.label)
            rebuild.run_source(
                source, checkpoint, batch_size=batch_size, progress=bar.update if bar else None
            )
            if bar:
                bar.finish()
        if not quiet:
            size = get_backend().size()
            self.stdout.write(
                f"{SearchEntry.objects.count():,} entries in {time.perf_counter() - started:.1f} s"
                + (f", {size / 1e6:.1f} MB" if size else "")
            )


class ProgressBar:
    """A one-line bar on a terminal; a line per tenth elsewhere (logs, CI)."""

    WIDTH = 30

    def __init__(self, out, label):
        self.out, self.label = out, label
        self.tty = out.isatty() if hasattr(out, "isatty") else False
        self.started = time.perf_counter()
        self.last_tenth = -1

    def update(self, done, total):
        share = done / total if total else 1.0
        rate = done / max(time.perf_counter() - self.started, 1e-6)
        filled = int(share * self.WIDTH)
        line = (
            f"{self.label:<15} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
            f"{done:,}/{total:,} {share:4.0%} {rate:,.0f}/s"
        )
        if self.tty:
            self.out.write("\r" + line, ending="")
            self.out.flush()
        elif int(share * 10) != self.last_tenth:
            self.last_tenth = int(share * 10)
            self.out.write(line)

    def finish(self):
        if self.tty:
            self.out.write("")
