"""URLs of the search app, included under the language prefix in config/urls.py."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [path("", views.results, name="results")]
