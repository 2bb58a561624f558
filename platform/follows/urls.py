from django.urls import path

from . import views

app_name = "follows"
urlpatterns = [
    path("", views.follow, name="follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
