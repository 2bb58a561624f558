"""The certificate as a PDF (reportlab): holder, course and version, date, issuer, and the
code and address where anyone can verify it. Chinese (and any text outside Latin-1) is set
in the CID font STSong-Light, which every PDF reader carries, so no font file is shipped."""

from io import BytesIO

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
_registered = False


def _font_for(text: str, latin: str) -> str:
    global _registered
    if all(ord(ch) < 256 for ch in text):
        return latin
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        _registered = True
    return CJK_FONT


def _centred(pdf, text: str, y: float, size: float, bold: bool = False) -> None:
    font = _font_for(text, "Helvetica-Bold" if bold else "Helvetica")
    width = landscape(A4)[0]
    # Shrink long titles to fit the page with a margin.
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width - 40 * mm:
        size -= 1
    pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    with translation.override(certificate.language):
        pdf.setTitle(f"{_('Certificate of completion')} · {certificate.course_title}")
        pdf.setAuthor(certificate.issuer)
        pdf.setStrokeColorRGB(0.043, 0.365, 0.231)
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        _centred(pdf, _("Certificate of completion"), height - 45 * mm, 30, bold=True)
        _centred(pdf, _("This certifies that"), height - 65 * mm, 14)
        _centred(pdf, certificate.holder_label, height - 82 * mm, 26, bold=True)
        _centred(pdf, _("has completed the course"), height - 98 * mm, 14)
        _centred(pdf, certificate.course_title, height - 114 * mm, 20, bold=True)
        _centred(
            pdf,
            _("Version %(version)s") % {"version": certificate.course_version},
            height - 126 * mm,
            12,
        )
        issued = formats.date_format(certificate.issued_at, "DATE_FORMAT")
        _centred(
            pdf,
            _("Issued on %(date)s by %(issuer)s") % {"date": issued, "issuer": certificate.issuer},
            height - 142 * mm,
            12,
        )
        _centred(
            pdf,
            _("Verification code: %(code)s") % {"code": certificate.code},
            30 * mm,
            12,
            bold=True,
        )
        _centred(pdf, _("Verify at %(url)s") % {"url": verify_url}, 22 * mm, 10)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
