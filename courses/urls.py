"""URLs of the courses app, included under the language prefix in config/urls.py.

The course index page (Wagtail) lives at /<lang>/courses/ itself, so "" is not claimed here,
and these paths avoid words an editor might choose as a course slug.
"""

from django.urls import path

from .views import cohorts, learning, public

app_name = "courses"

urlpatterns = [
    path("my-learning/", learning.my_learning, name="my_learning"),
    path("join-cohort/", learning.join_cohort, name="join"),
    path("check-unique-identifier/", public.identifier_check, name="identifier_check"),
    path("verify-certificate/", public.verify, name="verify"),
    path("certificates/<str:code>/", public.certificate_detail, name="certificate"),
    path("certificates/<str:code>/pdf/", public.certificate_download, name="certificate_pdf"),
    path("certificates/<str:code>/name/", public.certificate_name, name="certificate_name"),
    path("cohorts/", cohorts.cohort_list, name="cohorts"),
    path("cohorts/<int:pk>/", cohorts.cohort_dashboard, name="cohort"),
    path("cohorts/<int:pk>/open/", cohorts.cohort_toggle, name="cohort_toggle"),
    path("cohorts/<int:pk>/export.csv", cohorts.cohort_export, name="cohort_export"),
]
