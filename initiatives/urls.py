from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("source-check/", views.reconciliation, name="reconciliation"),
]
