"""Admin of the Tryghedsindeks: read only — inputs come through the import, results through runs."""
from django.contrib import admin

from .models import SafetyIndexImport, SafetyIndexInput, SafetyIndexMethod, SafetyIndexRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SafetyIndexMethod)
class SafetyIndexMethodAdmin(ReadOnlyAdmin):
    list_display = ["version", "name", "valid_from"]


@admin.register(SafetyIndexInput)
class SafetyIndexInputAdmin(ReadOnlyAdmin):
    list_display = ["area", "year", "respondents", "police_reports", "population", "is_demo"]
    list_filter = ["year", "area__level", "is_demo"]
    list_select_related = ["area"]


@admin.register(SafetyIndexImport)
class SafetyIndexImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "rows", "imported_by", "imported_at"]


@admin.register(SafetyIndexRun)
class SafetyIndexRunAdmin(ReadOnlyAdmin):
    list_display = ["year", "level", "method", "status", "computed_at", "published_at"]
    list_filter = ["status", "level", "year"]
    exclude = ["inputs_snapshot"]


# Read-only: written only through the services (see sikkerby/admin_base.py).
from sikkerby.admin_base import ReadOnlyAdmin  # noqa: E402

from . import models as _m  # noqa: E402

admin.site.register(_m.SafetyIndexResult, ReadOnlyAdmin)
