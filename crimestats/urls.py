"""URLs of the crimestats app (mounted at /key-figures/). No personal data in any URL."""
from django.urls import path

from . import views

app_name = "crimestats"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("reports/<int:pk>/restart/", views.report_restart, name="report_restart"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/restart/", views.import_restart, name="import_restart"),
    path("uneasy-areas/", views.addendum_edit, name="addendum_edit"),
]
