from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url

from .services import profile_for


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile = profile_for(user)
            # Whoever signs up in Chinese is likely to want Chinese.
            language = getattr(request, "LANGUAGE_CODE", "")
            if language and language != profile.preferred_language:
                profile.preferred_language = language
                profile.save(update_fields=["preferred_language", "updated_at"])
        return user

    def get_login_redirect_url(self, request):
        """After sign-in, continue in the language the person chose in their profile."""
        url = super().get_login_redirect_url(request)
        profile = getattr(request.user, "profile", None)
        if profile and profile.preferred_language:
            return translate_url(url, profile.preferred_language)
        return url
