"""In development (DEBUG) the site serves uploads itself: a name the file system cannot look up
(too long, a NUL byte) is a 404, not a server error (found by the URL sweep)."""

import pytest
from django.http import Http404

from core.views import media


@pytest.mark.parametrize("name", ["x" * 5000, "a\x00b.png", "nothing.png"])
def test_an_impossible_or_missing_upload_is_not_found(rf, settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        media(rf.get("/media/"), name)


def test_an_upload_is_served(rf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "seen.txt").write_text("uploaded")
    response = media(rf.get("/media/seen.txt"), "seen.txt")
    assert b"".join(response.streaming_content) == b"uploaded"
