"""Checking a comment's PDF attachment by its content, not its name.

A file passes only if it starts with the PDF signature, pypdf can read its structure, it is
not encrypted (officers must be able to open and quote it) and it is within the size limit.
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CONSULTATIONS_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedPdf:
    name: str
    size: int
    sha256: str
    content: bytes


def check_pdf(upload) -> CheckedPdf:
    """Return the checked file, or raise ValidationError with a message for the commenter."""
    limit = max_attachment_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(size, limit)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_big(len(content), limit)
    if not content:
        raise ValidationError(_("The attached file is empty."), code="empty")
    # Some writers put a few bytes before the signature; readers accept it within 1 KB.
    if PDF_MAGIC not in content[:1024]:
        raise ValidationError(
            _("The attached file is not a PDF (whatever its name says). Please attach a PDF."),
            code="not_pdf",
        )
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        logger.info("Unreadable PDF attachment: %s", exc)
        raise ValidationError(
            _("The attached PDF cannot be read; it may be damaged. Please export it again."),
            code="unreadable",
        ) from exc
    if encrypted:
        raise ValidationError(
            _(
                "The attached PDF is encrypted or password-protected; please attach it without "
                "protection so that officers can read it."
            ),
            code="encrypted",
        )
    if pages < 1:
        raise ValidationError(_("The attached PDF has no pages."), code="no_pages")
    name = (getattr(upload, "name", "") or "attachment.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    return CheckedPdf(
        name=name[:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The attached file is %(size)s; the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_big",
    )
