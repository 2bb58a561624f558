from django.core.management.base import BaseCommand

from forums.services import digest_send


class Command(BaseCommand):
    help = "Send the daily forum digest to those who asked for it (run once a day from cron)."

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"Forum digests sent: {sent}")
