from django.core.management.base import BaseCommand

from forums.services import rounds_announce


class Command(BaseCommand):
    help = (
        "Tell live clients about rounds that opened or closed on schedule (run every minute "
        "from cron). What may be posted never depends on it: the server reads the clock."
    )

    def handle(self, *args, **options):
        for group in rounds_announce():
            self.stdout.write(f"{group.theme}: {group.announced_state}")
