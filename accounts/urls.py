from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("invite/", views.user_invite, name="user_invite"),
    path("<int:pk>/", views.user_edit, name="user_edit"),
    path("<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
]
