"""Send the receipts that never went (Art. 23.2): comments stored, answered with their
reference, whose follow-up after the answer (search entry, campaign, receipt mail) was lost
with its process, or whose mail the server refused. Runs that follow-up again for each,
so each receipt is sent once. Meant for cron, every few minutes (docs/speed.md)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations.services.comments import comment_followup, comment_receipts_pending


class Command(BaseCommand):
    help = "Send the comment receipts not yet sent (and redo those comments' follow-up)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--after-minutes",
            type=float,
            default=5,
            help="Leave comments younger than this: their follow-up may still be running.",
        )
        parser.add_argument("--days", type=float, default=7, help="Look no further back than this.")

    def handle(self, *args, after_minutes, days, **options):
        now = timezone.now()
        pending = comment_receipts_pending(
            older_than=now - timedelta(minutes=after_minutes),
            newer_than=now - timedelta(days=days),
        )
        done = 0
        for pk in pending.values_list("pk", flat=True).iterator():
            comment_followup(pk)
            done += 1
        left = pending.count()
        self.stdout.write(f"{done} comments followed up; {left} receipts still not sent")
