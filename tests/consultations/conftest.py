import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .factories import commenter, make_consultation, officer, pdf_bytes


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CONSULTATIONS_PRIVATE_ROOT = str(tmp_path / "private")
    from consultations.models.comments import private_storage

    for name in ("base_location", "location"):
        private_storage.__dict__.pop(name, None)
    yield
    for name in ("base_location", "location"):
        private_storage.__dict__.pop(name, None)


@pytest.fixture
def home(site_shell):
    return site_shell["home"]


@pytest.fixture
def consultation(home):
    return make_consultation(home, state="open")


@pytest.fixture
def author(db):
    return commenter(display_name="Grace Mwangi")


@pytest.fixture
def officer_user(db):
    return officer(display_name="Olga Officer")


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("evidence.pdf", pdf_bytes(), content_type="application/pdf")
