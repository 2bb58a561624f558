from django.core.management.base import BaseCommand

from core.demo import demo_load


class Command(BaseCommand):
    help = "Load fixtures/: the page tree and demo users of every role. Idempotent."

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: home page “{result['home'].title}”, "
                f"{len(result['users'])} demo users."
            )
        )
