"""URLs of the forums app, included under the language prefix in config/urls.py."""

from django.urls import path  # noqa: F401

app_name = "forums"

urlpatterns: list = []
