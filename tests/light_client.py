"""A test client for the sweeps (tests/security, tests/consultations/test_garbage.py), which
read an answer's status, headers and body but never the templates or the contexts that made it.

Django's test client records, at every template rendered (each form widget is one), a copy of
its context, so that `response.context` and `response.templates` can be read afterwards. On
pages with many forms that copying took a fifth to a third of the time of a request. This
client renders exactly as the site does and only leaves that record out: `response.context`
is None and `response.templates` empty.
"""

from unittest import mock

from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState


class LightClient(Client):
    def request(self, **request):
        # The Template._render that setup_test_environment() replaced with the instrumented one.
        plain = _TestState.saved_data.template_render
        with mock.patch.object(Template, "_render", plain):
            return super().request(**request)
