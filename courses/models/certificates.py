"""Certificates of completion. An issued certificate is a record, not a view of the course:
it keeps the holder's name, the course title and the version it was issued for, whatever
editors change later."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HOLDER_NOT_NAMED = _("Name not yet given by the holder")
HOLDER_NAME_MAX = 200

# No 0/O or 1/I/L: codes are read off paper and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    """What a person types (lower case, spaces, no dashes) → the stored form."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:40]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


class Certificate(models.Model):
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_code)
    # A certificate outlives its holder's account: it stays verifiable by its code.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    course_key = models.UUIDField(db_index=True)
    # Blank only for certificates whose holder has yet to give the name to print (never the
    # e-mail address: accounts/names.py); `holder_label` is what pages and the PDF show.
    holder_name = models.CharField(_("holder"), max_length=200, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    course_version = models.CharField(_("version"), max_length=40)
    issuer = models.CharField(_("issuer"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "course_version"], name="one_certificate_per_version"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.holder_label} · {self.course_title}"

    @property
    def holder_label(self) -> str:
        return self.holder_name or str(HOLDER_NOT_NAMED)
