"""URLs of the exit programme. Cases are addressed by an opaque UUID: no name or CPR number in any URL."""
from django.urls import path

from . import views

app_name = "exitprogram"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("follow-ups/", views.followups, name="followups"),
    path("new/", views.case_create, name="case_create"),
    path("find/", views.case_find, name="case_find"),
    path("access-log/", views.access_log_request, name="access_log"),
    path("purpose/", views.read_purpose, name="read_purpose"),
    path("statistics/", views.statistics, name="statistics"),
    path("cases/<uuid:uuid>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:uuid>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:uuid>/phase/", views.case_transition, name="case_transition"),
    path("cases/<uuid:uuid>/close/", views.case_close, name="case_close"),
    path("cases/<uuid:uuid>/follow-up/", views.case_followup, name="case_followup"),
    path("cases/<uuid:uuid>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("cases/<uuid:uuid>/plan/new/", views.plan_item_create, name="plan_item_create"),
    path("cases/<uuid:uuid>/plan/<int:item_id>/", views.plan_item_edit, name="plan_item_edit"),
    path("cases/<uuid:uuid>/notes/new/", views.note_create, name="note_create"),
    path("cases/<uuid:uuid>/pool/new/", views.pool_expense_create, name="pool_expense_create"),
]
