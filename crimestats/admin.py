"""Admin: crime types (a coordinator sets the STRAF11 group and the person-dangerous flag of new police codes)."""
from django.contrib import admin

from .models import CrimeType


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "straf11_code", "person_dangerous"]
    list_filter = ["straf11_code", "person_dangerous"]
    search_fields = ["code", "label"]
