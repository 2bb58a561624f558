from django.core.management.base import BaseCommand

from follows.notices import send_due_notices


class Command(BaseCommand):
    help = (
        "Mail followers about consultations that opened, close within three days or have "
        "their outcome published (run it every few minutes, e.g. from cron)."
    )

    def handle(self, *args, **options):
        sent = send_due_notices()
        self.stdout.write(f"{sent} notice(s) sent.")
