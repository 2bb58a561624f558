from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.demo import demo_load


class Command(BaseCommand):
    help = "Load fixtures/: the page tree and demo users of every role. Idempotent."

    def handle(self, *args, **options):
        result = demo_load()
        # The demo writes posts and comments straight to their tables: index everything.
        call_command("search_rebuild", restart=True, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: home page “{result['home'].title}”, "
                f"{len(result['users'])} demo users."
            )
        )
