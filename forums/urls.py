"""URLs of the forums app, included under the language prefix in config/urls.py."""

from django.urls import path

from .views import moderation, public, reports

app_name = "forums"

urlpatterns = [
    path("", public.forum_index, name="index"),
    path("settings/", public.notification_settings, name="settings"),
    # groups, threads and posts
    path("groups/<int:group_id>/", public.group_detail, name="group"),
    path("groups/<int:group_id>/threads/new/", public.thread_new, name="thread_new"),
    path("groups/<int:group_id>/threads/<int:thread_id>/", public.thread_detail, name="thread"),
    path("groups/<int:group_id>/threads/<int:thread_id>/reply/", public.reply, name="reply"),
    path("posts/<int:post_id>/edit/", public.post_edit, name="post_edit"),
    path("posts/<int:post_id>/history/", public.post_history, name="post_history"),
    path("posts/<int:post_id>/flag/", public.post_flag, name="post_flag"),
    # moderators
    path("groups/<int:group_id>/moderate/", moderation.queue, name="queue"),
    path("groups/<int:group_id>/summary/", moderation.summary, name="summary"),
    path("groups/<int:group_id>/close-round/", moderation.round_close, name="round_close"),
    path(
        "groups/<int:group_id>/threads/<int:thread_id>/pin/",
        moderation.thread_pin,
        name="thread_pin",
    ),
    path(
        "groups/<int:group_id>/threads/<int:thread_id>/close/",
        moderation.thread_close,
        name="thread_close",
    ),
    path("posts/<int:post_id>/moderate/", moderation.moderate_post, name="moderate_post"),
    path("posts/<int:post_id>/flags/dismiss/", moderation.flags_dismiss, name="flags_dismiss"),
    # reports
    path("groups/<int:group_id>/report/", reports.round_report, name="report"),
    # a forum by its slug (after the fixed paths above)
    path("<slug:slug>/", public.forum_detail, name="forum"),
    path("<slug:slug>/register/", public.register, name="register"),
    path("<slug:slug>/registrations/", moderation.registrations, name="registrations"),
    path("<slug:slug>/statistics/", reports.statistics, name="statistics"),
    path("<slug:slug>/posts.csv", reports.posts_csv, name="posts_csv"),
]
