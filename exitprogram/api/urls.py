from django.urls import path

from .views import ExitStatisticsView

urlpatterns = [
    path("statistics/", ExitStatisticsView.as_view(), name="exit-statistics"),
]
