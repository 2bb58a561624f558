"""URLs of the consultations app, included under the language prefix in config/urls.py.

The index page is a Wagtail page at /<lang>/consultations/ (the same prefix): nothing here
claims "", so Django falls through to Wagtail for it and for the consultation pages.
"""

from django.urls import path, re_path, register_converter

from . import feeds, views
from .views import campaigns, summaries


class IdConverter:
    """A row id: at most 18 digits, which every database's integer holds. Longer digit runs
    are not ids of ours and get a 404 here, instead of an integer overflow in the database
    driver (a 500 on SQLite) below."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "consultations_id")

app_name = "consultations"

urlpatterns = [
    path("<consultations_id:page_id>/comment/", views.comment_create, name="comment_create"),
    path("<consultations_id:page_id>/manage/", views.manage, name="manage"),
    path("<consultations_id:page_id>/close/", views.close_now, name="close"),
    path("<consultations_id:page_id>/outcome/", views.publish_outcome, name="outcome"),
    path("<consultations_id:page_id>/statistics/", views.stats, name="statistics"),
    path("<consultations_id:page_id>/feed/", feeds.CommentsFeed(), name="feed"),
    re_path(
        r"^(?P<page_id>[0-9]{1,18})/export/(?P<scope>all|public)\.(?P<fmt>csv|xlsx)$",
        views.export,
        name="export",
    ),
    path("officers/", views.officer_home, name="officer_home"),
    path("<consultations_id:page_id>/campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<consultations_id:pk>/", campaigns.campaign_detail, name="campaign"),
    path(
        "campaigns/<consultations_id:pk>/respond/",
        campaigns.campaign_respond,
        name="campaign_respond",
    ),
    path("campaigns/<consultations_id:pk>/merge/", campaigns.campaign_merge, name="campaign_merge"),
    path(
        "campaigns/<consultations_id:pk>/dismiss/",
        campaigns.campaign_dismiss,
        name="campaign_dismiss",
    ),
    path("comments/<consultations_id:pk>/split/", campaigns.campaign_split, name="campaign_split"),
    path("<consultations_id:page_id>/synthesis/", summaries.synthesis, name="synthesis"),
    path("<consultations_id:page_id>/summary/add/", summaries.statement_add, name="summary_add"),
    path("summary/<consultations_id:pk>/edit/", summaries.statement_edit, name="summary_edit"),
    path(
        "summary/<consultations_id:pk>/delete/", summaries.statement_delete, name="summary_delete"
    ),
    path("comments/<consultations_id:pk>/moderate/", views.moderate, name="moderate"),
    path("comments/<consultations_id:pk>/respond/", views.respond, name="respond"),
    re_path(r"^ref/(?P<reference>[A-Z0-9]{1,16}-\d{1,9})/$", views.comment_detail, name="comment"),
    re_path(
        r"^ref/(?P<reference>[A-Z0-9]{1,16}-\d{1,9})/attachment/$",
        views.attachment,
        name="attachment",
    ),
]
