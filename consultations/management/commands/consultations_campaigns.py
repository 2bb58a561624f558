"""Group a consultation's comments into campaigns: places the comments not yet placed, or,
with --rebuild, regroups every comment from scratch. Officers' decisions are kept either
way (consultations/campaigns/regroup.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from consultations.campaigns.placement import place_comment
from consultations.campaigns.regroup import regroup
from consultations.models import Comment, ConsultationPage


class Command(BaseCommand):
    help = "Group the comments of one consultation (by its reference code) into campaigns."

    def add_arguments(self, parser):
        parser.add_argument("reference_code")
        parser.add_argument(
            "--rebuild", action="store_true", help="Regroup every comment from scratch."
        )

    def handle(self, *args, reference_code, rebuild, **options):
        code = reference_code.strip().upper()
        page = ConsultationPage.objects.filter(reference_code__iexact=code).order_by("pk").first()
        if page is None:
            raise CommandError(f"No consultation has the reference code {code!r}.")
        page = page.canonical
        started = time.monotonic()
        if rebuild:
            result = regroup(page, progress=self._progress)
        else:
            pending = Comment.objects.filter(
                consultation=page, campaign__isnull=True, campaign_excluded=False
            ).order_by("sequence")
            total = pending.count()
            for done, pk in enumerate(pending.values_list("pk", flat=True).iterator(), start=1):
                place_comment(pk)
                if done % 100 == 0 or done == total:
                    self._progress(done, total)
            result = {"campaigns": page.campaigns.filter(dismissed=False).count()}
        self.stderr.write("")
        self.stdout.write(
            f"{page.reference_prefix}: {result['campaigns']} campaigns "
            f"in {time.monotonic() - started:.1f} s"
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush()
