from django.urls import path

from .views import QuarterCountsView

urlpatterns = [
    path("quarters/", QuarterCountsView.as_view(), name="ssp-quarters-list"),
]
