"""Run the follow-up of stored comments (search entry, campaign, receipt) handed over by the
web workers when CONSULTATIONS_FOLLOWUP is "worker" (consultations/followup.py). Runs until
stopped (SIGTERM); `--once` empties the list and exits."""

from django.core.management.base import BaseCommand, CommandError

from consultations import followup


class Command(BaseCommand):
    help = "Follow up the comments the web workers handed over (CONSULTATIONS_FOLLOWUP=worker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Empty the list, then exit.")
        parser.add_argument("--verbose-batches", action="store_true", help="Log every batch.")

    def handle(self, *args, once, verbose_batches, **options):
        if not followup.by_worker():
            raise CommandError(
                'Nothing to do: set CONSULTATIONS_FOLLOWUP="worker" and REDIS_URL (the web '
                "workers otherwise follow comments up themselves)."
            )
        log = self.stdout.write if verbose_batches else None
        done = followup.run_worker(once=once, log=log)
        self.stdout.write(f"{done} comments followed up")
