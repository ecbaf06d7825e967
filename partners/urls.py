"""URLs of the partners app. Ids and months only: nothing personal in a URL."""
from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("new/", views.partner_create, name="partner_create"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/initiatives/new/", views.involvement_create, name="involvement_create"),
    path("initiatives/<int:pk>/delete/", views.involvement_delete, name="involvement_delete"),
    path("progress/", views.progress_overview, name="progress_overview"),
    path("progress/<int:initiative_pk>/", views.progress_edit, name="progress_edit"),
    path("pack/", views.pack, name="pack"),
    path("pack/pdf/", views.pack_pdf_request, name="pack_pdf_request"),
    path("pack/pdf/<int:pk>/", views.pack_pdf_detail, name="pack_pdf_detail"),
    path("pack/pdf/<int:pk>/status/", views.pack_pdf_status, name="pack_pdf_status"),
    path("pack/pdf/<int:pk>/pack.pdf", views.pack_pdf_download, name="pack_pdf_download"),
    path("pack/pack.xlsx", views.pack_xlsx, name="pack_xlsx"),
]
