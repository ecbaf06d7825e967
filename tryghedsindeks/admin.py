"""Admin of the Tryghedsindeks: read only — inputs come through the import, results through runs."""
from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from .models import (
    SafetyIndexComputation,
    SafetyIndexImport,
    SafetyIndexInput,
    SafetyIndexMethod,
    SafetyIndexResult,
    SafetyIndexRun,
)


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


admin.site.register(SafetyIndexResult, ReadOnlyAdmin)


@admin.register(SafetyIndexComputation)
class SafetyIndexComputationAdmin(ReadOnlyAdmin):
    """Computations are started, and started again, by coordinators on the manage page."""

    list_display = ["year", "level", "method", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "level"]
