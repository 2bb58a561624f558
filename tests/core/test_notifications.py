import pytest
from django.core import mail
from django.template import engines

from core.notifications import notify_user
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_templates(tmp_path, settings):
    folder = tmp_path / "templates" / "t"
    folder.mkdir(parents=True)
    (folder / "hello_subject.txt").write_text(
        '{% load i18n %}{% trans "Public consultations" %}\n  about {{ topic }}'
    )
    (folder / "hello_body.txt").write_text(
        '{% load i18n %}{% trans "Skip to main content" %} {{ topic }} {{ site_url }}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}
    yield
    engines._engines = {}


def test_mail_goes_out_in_the_recipients_language(mail_templates):
    user = make_user(preferred_language="zh-hans")
    assert notify_user(user=user, template="t/hello", context={"topic": "MON-ØØ81Ø-6"})
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[Biosafety] 公众意见征求 about MON-ØØ81Ø-6"  # one line
    assert "跳到主要内容 MON-ØØ81Ø-6 http" in message.body


def test_inactive_people_get_no_mail(mail_templates):
    user = make_user()
    user.is_active = False
    user.save()
    assert not notify_user(user=user, template="t/hello", context={"topic": "x"})
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_not_raised(mail_templates, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_notifications.BrokenBackend"
    user = make_user()
    assert not notify_user(user=user, template="t/hello", context={"topic": "x"})
    assert "Could not send" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")
