"""The PDF check on comment attachments (issue 11, finding 20): markup-first files are
refused, and what the check inflates is bounded. No database: `check_pdf` is pure."""

import io
import time
import tracemalloc
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.uploads import check_pdf

from .factories import pdf_bytes

MB = 1024 * 1024


def _check(content: bytes):
    return check_pdf(SimpleUploadedFile("file.pdf", content, "application/pdf"))


def _refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _check(content)
    return caught.value


def _deflated(size: int, fill: bytes = b" ") -> bytes:
    """`size` bytes of `fill`, compressed in chunks (fast, little memory)."""
    packer = zlib.compressobj(9)
    chunk = fill * MB
    parts = [packer.compress(chunk) for _ in range(size // MB)]
    return b"".join([*parts, packer.flush()])


def _pdf(objects: dict[int, bytes], root: int) -> bytes:
    """A minimal PDF from raw object bodies (`objects[n]` is the text between `n 0 obj` and
    `endobj`), with a classic cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    size = max(objects) + 1
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (size, root))
    out.write(b"startxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(data), extra) + (
        data + b"\nendstream"
    )


def _object_stream_bomb(inflated: int) -> bytes:
    """The catalogue, page tree and page live in a compressed object stream padded with
    `inflated` bytes of blanks: reading the page tree means inflating all of it."""
    bodies = [
        b"<< /Type /Catalog /Pages 3 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] >>",
    ]
    header, body = b"", b""
    for number, text in zip((2, 3, 4), bodies, strict=True):
        header += b"%d %d " % (number, len(body))
        body += text + b" "
    packer = zlib.compressobj(9)
    data = packer.compress(header + body)
    blanks = b" " * MB
    for _ in range(inflated // MB):
        data += packer.compress(blanks)
    data += packer.flush()
    objstm = _stream(data, b"/Type /ObjStm /N 3 /First %d" % len(header))
    # A cross-reference stream is the only way to point at objects inside an object stream.
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_at = out.tell()
    out.write(b"1 0 obj\n" + objstm + b"\nendobj\n")
    xref_at = out.tell()
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]  # object 0: free
    rows.append(b"\x01" + objstm_at.to_bytes(4, "big") + b"\x00\x00")
    rows += [b"\x02" + (1).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(3)]
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out.write(
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def _content_stream_bomb(inflated: int) -> bytes:
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
            4: _stream(_deflated(inflated)),
        },
        root=1,
    )


def _peak_while_checking(content: bytes) -> tuple[int, float, Exception | None]:
    _check(pdf_bytes())  # pypdf imported and warm: measure the check, not the import
    tracemalloc.start()
    started = time.monotonic()
    error = None
    try:
        _check(content)
    except ValidationError as exc:
        error = exc
    finally:
        elapsed = time.monotonic() - started
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, elapsed, error


# --- markup first ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    [
        b"<html><body><script>alert(document.cookie)</script></body></html>\n",
        b"  \n<!DOCTYPE html><p>hi</p>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xef\xbb\xbf<script>alert(1)</script>",
        b"<?xml version='1.0'?><x/>",
    ],
)
def test_a_file_that_starts_with_markup_is_refused_whatever_follows(prefix):
    error = _refusal(prefix + pdf_bytes())
    assert error.code == "not_pdf"


def test_html_tags_after_the_signature_in_the_first_kib_are_refused():
    pdf = pdf_bytes()
    sneaky = pdf[:9] + b"%<html><script>alert(1)</script>\n" + pdf[9:]
    assert _refusal(sneaky).code == "not_pdf"


def test_a_few_stray_bytes_or_blank_lines_before_the_signature_are_still_accepted():
    # Some writers (and mail gateways) put bytes before the header; readers allow 1 KiB.
    assert _check(b"\r\n  " + pdf_bytes()).size > 0
    assert _check(b"\x00\x00junk" + pdf_bytes()).size > 0


def test_a_signature_after_the_first_kib_is_refused():
    assert _refusal(b"x" * 1100 + pdf_bytes()).code == "not_pdf"


def test_a_plain_pdf_is_accepted():
    checked = _check(pdf_bytes(pages=2))
    assert checked.size > 0 and len(checked.sha256) == 64


# --- decompression bounded --------------------------------------------------------------


def test_a_compressed_object_stream_that_inflates_hugely_is_refused_with_bounded_memory():
    bomb = _object_stream_bomb(40 * MB)  # under pypdf's own 75 MB default limit
    assert len(bomb) < 200_000
    peak, elapsed, error = _peak_while_checking(bomb)
    assert error is not None and error.code == "unreadable"
    assert peak < 24 * MB, f"the check held {peak / MB:.0f} MB"
    assert elapsed < 5


def test_an_honest_object_stream_is_still_read():
    # The same layout without the padding: the bound refuses bombs, not the format.
    assert _check(_object_stream_bomb(0)).size > 0


def test_a_content_stream_that_inflates_hugely_is_not_inflated_by_the_check():
    bomb = _content_stream_bomb(200 * MB)
    peak, elapsed, _error = _peak_while_checking(bomb)
    assert peak < 24 * MB, f"the check held {peak / MB:.0f} MB"
    assert elapsed < 5
