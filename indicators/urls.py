"""URLs of the indicators app."""
from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("goals/rules/", views.goal_rules, name="goal_rules"),
    path("goals/<int:pk>/series.csv", views.goal_csv, name="goal_csv"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/values.csv", views.indicator_csv, name="indicator_csv"),
    path("values/new/", views.value_entry, name="value_entry"),
    path("values/review/", views.review, name="review"),
    path("upload/", views.upload, name="upload"),
    path("upload/<int:pk>/", views.upload_preview, name="upload_preview"),
    path("reporting/", views.reporting, name="reporting"),
    path("reporting/<int:pk>/calendar/", views.reporting_calendar_edit, name="reporting_calendar_edit"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
]
