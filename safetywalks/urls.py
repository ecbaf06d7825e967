"""URLs of safety walks. Ids only: nothing personal in a URL."""
from django.urls import path

from . import views

app_name = "safetywalks"
urlpatterns = [
    path("", views.walk_list, name="walk_list"),
    path("new/", views.walk_create, name="walk_create"),
    path("<int:pk>/", views.walk_detail, name="walk_detail"),
    path("<int:pk>/edit/", views.walk_edit, name="walk_edit"),
    path("<int:pk>/report/", views.walk_report, name="walk_report"),
    path("<int:pk>/report.csv", views.walk_csv, name="walk_csv"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("findings/<int:pk>/photo/", views.finding_photo, name="finding_photo"),
    path("findings/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/", views.action_list, name="action_list"),
    path("actions.xlsx", views.action_xlsx, name="action_xlsx"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("organisations/", views.organisation_list, name="organisation_list"),
]
