"""URLs of the consultations app, included under the language prefix in config/urls.py.

The index page is a Wagtail page at /<lang>/consultations/ (the same prefix): nothing here
claims "", so Django falls through to Wagtail for it and for the consultation pages.
"""

from django.urls import path, re_path

from . import feeds, views

app_name = "consultations"

urlpatterns = [
    path("<int:page_id>/comment/", views.comment_create, name="comment_create"),
    path("<int:page_id>/manage/", views.manage, name="manage"),
    path("<int:page_id>/close/", views.close_now, name="close"),
    path("<int:page_id>/outcome/", views.publish_outcome, name="outcome"),
    path("<int:page_id>/statistics/", views.stats, name="statistics"),
    path("<int:page_id>/feed/", feeds.CommentsFeed(), name="feed"),
    re_path(
        r"^(?P<page_id>\d+)/export/(?P<scope>all|public)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("officers/", views.officer_home, name="officer_home"),
    path("comments/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("comments/<int:pk>/respond/", views.respond, name="respond"),
    re_path(r"^ref/(?P<reference>[A-Z0-9]{1,16}-\d{1,9})/$", views.comment_detail, name="comment"),
    re_path(
        r"^ref/(?P<reference>[A-Z0-9]{1,16}-\d{1,9})/attachment/$",
        views.attachment,
        name="attachment",
    ),
]
