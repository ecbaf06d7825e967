"""URLs of SSP single cases. Meetings and concerns are addressed by an opaque UUID: no name or CPR in any URL."""
from django.urls import path

from . import views

app_name = "sspcases"
urlpatterns = [
    path("", views.series_list, name="series_list"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/extend/", views.series_extend, name="series_extend"),
    path("concerns/", views.concern_list, name="concern_list"),
    path("concerns/new/", views.concern_create, name="concern_create"),
    path("concerns/<uuid:uuid>/", views.concern_detail, name="concern_detail"),
    path("concerns/<uuid:uuid>/exit-referral/", views.concern_convert, name="concern_convert"),
    path("meetings/<uuid:uuid>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:uuid>/move/", views.meeting_move, name="meeting_move"),
    path("meetings/<uuid:uuid>/held/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<uuid:uuid>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:uuid>/reinstate/", views.meeting_reinstate, name="meeting_reinstate"),
    path("meetings/<uuid:uuid>/concerns/<uuid:concern_uuid>/", views.item_record, name="item_record"),
    path("statistics/", views.statistics, name="statistics"),
]
