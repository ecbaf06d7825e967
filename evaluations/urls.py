"""URLs of the evaluations app. Ids only: nothing personal in a URL."""
from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/autosave/", views.evaluation_autosave, name="evaluation_autosave"),
    path("<int:pk>/review/", views.evaluation_review, name="evaluation_review"),
    path("monitoring/", views.monitoring_list, name="monitoring_list"),
    path("prioritisation/new/", views.prioritisation_round_create, name="prioritisation_round_create"),
    path("prioritisation/<int:pk>/", views.prioritisation_round_detail, name="prioritisation_round_detail"),
    path("prioritisation/<int:pk>/mine/", views.prioritisation_edit, name="prioritisation_edit"),
    path("closures/", views.closure_list, name="closure_list"),
    path("closures/new/", views.closure_create, name="closure_create"),
    path("closures/<int:pk>/reopen/", views.closure_reopen, name="closure_reopen"),
]
