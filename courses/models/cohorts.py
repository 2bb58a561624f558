"""Workshop cohorts: a facilitator's group of learners taking one course together, as in the
Green Customs training-of-trainers workshops (Ljubljana and New Delhi, 2011)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class CohortQuerySet(models.QuerySet):
    def run_by(self, user):
        """The cohorts a facilitator may see: only their own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(facilitator=user)


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    course_key = models.UUIDField(_("course"), db_index=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohorts_run"
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    is_open = models.BooleanField(_("open for joining"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort membership")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort")
        ]

    def __str__(self):
        return f"{self.user} · {self.cohort}"
