"""daphne hands a POST body to Django without Twisted parsing it first (core.daphne_forms)."""

import io
from unittest import mock

import pytest
from daphne.http_protocol import WebRequest

import config.asgi  # noqa: F401 - the ASGI module is where the server's requests are set up

BOUNDARY = b"----comment"
MULTIPART = (
    b"------comment\r\n"
    b'Content-Disposition: form-data; name="body"\r\n\r\n'
    b"Section 3 should cite Article 18.2(a).\r\n"
    b"------comment\r\n"
    b'Content-Disposition: form-data; name="attachment"; filename="evidence.pdf"\r\n'
    b"Content-Type: application/pdf\r\n\r\n"
    b"%PDF-1.4 " + b"x" * 50_000 + b"\r\n"
    b"------comment--\r\n"
)


def received(content_type: bytes, body: bytes) -> WebRequest:
    """A POST as daphne's HTTP channel delivers it, up to the point daphne takes over."""
    request = WebRequest(mock.MagicMock())
    request.requestHeaders.setRawHeaders(b"content-type", [content_type])
    request.content = io.BytesIO()
    request.content.write(body)  # as the channel writes it: the position is the length
    with mock.patch.object(WebRequest, "process"):  # daphne's hand-off to the application
        request.requestReceived(b"POST", b"/en/consultations/7/comment/", b"HTTP/1.1")
    return request


@pytest.mark.parametrize(
    "content_type, body",
    [
        (b"multipart/form-data; boundary=" + BOUNDARY, MULTIPART),
        (b"application/x-www-form-urlencoded", b"body=Article+23&token=abc&show_name=on"),
    ],
)
def test_the_body_reaches_the_application_whole_and_unparsed(content_type, body):
    request = received(content_type, body)
    assert request.args == {}  # Twisted split nothing into memory
    assert request.content.read() == body  # and the application reads every byte


def test_a_query_string_is_still_read_into_args():
    # Only the body is left alone: Twisted's own parsing of the URL is unchanged.
    request = WebRequest(mock.MagicMock())
    request.content = io.BytesIO(b"")
    with mock.patch.object(WebRequest, "process"):
        request.requestReceived(b"GET", b"/en/search/?q=maize", b"HTTP/1.1")
    assert request.args == {b"q": [b"maize"]}
