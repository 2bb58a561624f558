"""Certificates: only for a finished course, never by a crafted request; PDF; public check."""

import io

import pytest
from pypdf import PdfReader

from courses.models import Certificate, CoursePage
from courses.services import certificate_issue
from tests.accounts.factories import make_user

from .helpers import BASE, complete_everything, enrol, lesson, quiz_post


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_crafted_request_for_an_unfinished_course_issues_nothing(client, course, learner):
    enrol(client, learner)
    identifiers = lesson("identifiers")
    client.post(identifiers.url, quiz_post(identifiers))  # some progress, not all
    response = client.post(f"{BASE}/", {"action": "certificate"}, follow=True)
    assert Certificate.objects.count() == 0
    assert "remain" in response.content.decode()


def test_not_enrolled_gets_no_certificate(client, course, learner):
    client.force_login(learner)
    client.post(f"{BASE}/", {"action": "certificate"})
    assert Certificate.objects.count() == 0


def test_visiting_every_page_is_not_enough(client, course, learner):
    enrol(client, learner)
    for slug in ("what-is-an-lmo", "identifiers", "ffp-invoice", "further-reading"):
        client.get(lesson(slug).url)
    client.post(f"{BASE}/", {"action": "certificate"})
    assert Certificate.objects.count() == 0


def test_completing_the_course_earns_one_certificate_with_pdf_and_public_page(
    client, course, learner
):
    complete_everything(client, learner)
    response = client.post(f"{BASE}/", {"action": "certificate"})
    certificate = Certificate.objects.get(user=learner)
    assert response["Location"] == f"/en/courses/certificates/{certificate.code}/"
    client.post(f"{BASE}/", {"action": "certificate"})  # asking again: the same certificate
    assert Certificate.objects.count() == 1

    pdf = client.get(f"/en/courses/certificates/{certificate.code}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in (
        "Ana Learner",
        "Test course on LMOs",
        "2026.1",
        certificate.code,
        f"/en/courses/certificates/{certificate.code}/",
    ):
        assert expected in text

    client.logout()
    public = client.get(f"/en/courses/certificates/{certificate.code}/").content.decode()
    assert "This certificate is genuine" in public and "Ana Learner" in public
    # Only the holder downloads the PDF.
    assert client.get(f"/en/courses/certificates/{certificate.code}/pdf/").status_code == 404


def test_verification_accepts_typed_codes_and_explains_unknown_ones(client, course, learner):
    complete_everything(client, learner)
    certificate, _ = certificate_issue(user=learner, course=course)
    client.logout()
    typed = certificate.code.replace("-", "").lower()
    response = client.get("/en/courses/verify-certificate/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/certificates/{certificate.code}/")
    unknown = client.get("/en/courses/verify-certificate/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert unknown.status_code == 404 and "No certificate has this code" in unknown.content.decode()
    garbage = client.get("/en/courses/certificates/<script>x</script>/")
    assert garbage.status_code == 404 and "<script>x" not in garbage.content.decode()


def test_an_issued_certificate_keeps_its_course_title_and_version(client, course, learner):
    complete_everything(client, learner)
    certificate, _ = certificate_issue(user=learner, course=course)
    page = CoursePage.objects.get(pk=course.pk)
    page.title, page.version = "Renamed course", "2027.1"
    page.save_revision().publish()
    certificate.refresh_from_db()
    assert (certificate.course_title, certificate.course_version) == (
        "Test course on LMOs",
        "2026.1",
    )
    html = client.get(f"/en/courses/certificates/{certificate.code}/").content.decode()
    assert "Test course on LMOs" in html and "Renamed course" not in html


def test_chinese_certificate_pdf_draws_chinese(client, course):
    learner = make_user(display_name="李伟")
    client.force_login(learner)
    client.post("/zh-hans/courses/test-course/", {"action": "enrol"})
    complete_everything(client, learner)
    zh_course = CoursePage.objects.get(slug="test-course", locale__language_code="zh-hans")
    certificate, _ = certificate_issue(user=learner, course=zh_course)
    text = pdf_text(client.get(f"/zh-hans/courses/certificates/{certificate.code}/pdf/").content)
    assert "改性活生物体测试课程" in text and "李伟" in text


@pytest.mark.parametrize("extra", ["", "?x=1"])
def test_pdf_of_unknown_code_is_not_found(client, db, extra):
    assert client.get(f"/en/courses/certificates/NOPE/pdf/{extra}").status_code == 404


def test_a_certificate_stays_verifiable_after_the_account_is_deleted(client, course, learner):
    complete_everything(client, learner)
    certificate, _ = certificate_issue(user=learner, course=course)
    client.logout()
    learner.delete()
    html = client.get(f"/en/courses/certificates/{certificate.code}/").content.decode()
    assert "This certificate is genuine" in html and "Ana Learner" in html
