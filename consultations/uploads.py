"""Checking a comment's PDF attachment by its content, not its name.

A file passes only if it starts with the PDF signature (nothing that reads as markup before
it or near it), pypdf can read its structure within a small decompression budget, it is not
encrypted (officers must be able to open and quote it) and it is within the size limit.
"""

import hashlib
import io
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Readers accept the signature anywhere in the first KiB (some writers and mail gateways put
# bytes before it); browsers that sniff content look at the same first bytes for markup.
HEADER_WINDOW = 1024
# Tags a sniffing browser takes for HTML, SVG or XML. None can start a PDF token: PDF
# dictionaries open with "<<" and hex strings hold only hex digits.
_MARKUP = re.compile(
    rb"<(?:!doctype|!--|\?xml|html|head|body|script|iframe|frame|svg|img|object|embed|style"
    rb"|meta|link|title|form|input|math|base|xml)",
    re.IGNORECASE,
)
# What the check may inflate from any one stream. It reads only the file's structure
# (cross-reference and object streams, never page content), which is small in honest files.
DECOMPRESS_LIMIT = 8 * 1024 * 1024


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
    if not _looks_like_pdf(content):
        raise ValidationError(
            _("The attached file is not a PDF (whatever its name says). Please attach a PDF."),
            code="not_pdf",
        )
    from pypdf.errors import PyPdfError

    try:
        encrypted, pages = _read_structure(content)
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


def _looks_like_pdf(content: bytes) -> bool:
    """The signature within the first KiB, and no markup before it or anywhere in that KiB:
    a file an HTML-sniffing reader could take for a page is not stored (finding 20)."""
    start = content.find(PDF_MAGIC, 0, HEADER_WINDOW)
    if start < 0:
        return False
    if b"<" in content[:start]:
        return False
    return _MARKUP.search(content[:HEADER_WINDOW]) is None


def _read_structure(content: bytes) -> tuple[bool, int]:
    """(encrypted, number of pages), inflating at most DECOMPRESS_LIMIT per stream: a small
    file whose object stream inflates to gigabytes is refused, not held in memory. pypdf's
    configuration is a context variable: this bound applies to this check only."""
    from pypdf import PdfReader, apply_configuration

    limit = DECOMPRESS_LIMIT
    with apply_configuration(
        maximum_declared_stream_length=max_attachment_bytes(),
        zlib_maximum_output_length=limit,
        zlib_maximum_recovery_input_length=limit,
        lzw_maximum_output_length=limit,
        run_length_maximum_output_length=limit,
        brotli_maximum_output_length=limit,
        array_based_stream_maximum_output_length=limit,
        stream_decoding_work_maximum_length=4 * limit,
        image_maximum_buffer_size=limit,
        jbig2_maximum_output_length=limit,
    ):
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return True, 0
        return False, len(reader.pages)


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The attached file is %(size)s; the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_big",
    )
