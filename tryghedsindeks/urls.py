"""URLs of the tryghedsindeks app (mounted at /safety-index/)."""
from django.urls import path

from . import views

app_name = "tryghedsindeks"
urlpatterns = [
    path("", views.index_map, name="map"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("compare/", views.compare, name="compare"),
    path("effect-goal-3/", views.goal, name="goal"),
    path("method/", views.method_page, name="method"),
    path("manage/", views.manage, name="manage"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/verify/", views.run_verify, name="run_verify"),
    path("computations/<int:pk>/restart/", views.computation_restart, name="computation_restart"),
]
