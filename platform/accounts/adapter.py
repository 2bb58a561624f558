from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Profile
from .services import profile_for, profile_update

# RFC 5321: a usable address has at most 254 characters, 64 before the "@".
MAX_EMAIL = 254
MAX_LOCAL_PART = 64


def _in_language(language):
    """Switch to `language` if given; otherwise stay in the current one."""
    return translation.override(language or translation.get_language())


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        local, _at, _domain = email.rpartition("@")
        if len(email) > MAX_EMAIL or len(local) > MAX_LOCAL_PART:
            raise forms.ValidationError(
                _("This e-mail address is too long to be delivered. Please check it.")
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Whoever signs up in Chinese is likely to want Chinese.
            language = getattr(request, "LANGUAGE_CODE", "")
            if language:
                profile_update(user=user, preferred_language=language)
            else:
                profile_for(user)
        return user

    def send_mail(self, template_prefix, email, context):
        """Account e-mails go out in the recipient's preferred language (links included)."""
        language = (
            Profile.objects.filter(user__emailaddress__email__iexact=email)
            .values_list("preferred_language", flat=True)
            .first()
        )
        # allauth greets with the current site's name; without django.contrib.sites that is
        # the request's host ("127.0.0.1:8000"). Ours is the configured SITE_NAME.
        site = context.get("current_site")
        context["current_site"] = SimpleNamespace(
            name=settings.SITE_TITLE, domain=getattr(site, "domain", "")
        )
        with _in_language(language):
            super().send_mail(template_prefix, email, context)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # The "signed in" message is shown on the next page, which is in the preferred language.
        language = None
        if message_template == "account/messages/logged_in.txt":
            language = self._preferred_language(request)
        with _in_language(language):
            super().add_message(request, level, message_template, *args, **kwargs)

    @staticmethod
    def _preferred_language(request):
        profile = getattr(request.user, "profile", None)
        return profile.preferred_language if profile else None

    def get_login_redirect_url(self, request):
        """After sign-in, continue in the language the person chose in their profile."""
        url = super().get_login_redirect_url(request)
        language = self._preferred_language(request)
        return translate_url(url, language) if language else url
