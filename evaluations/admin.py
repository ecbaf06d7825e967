"""Admin: read only. Every change goes through the workflow (services), never the admin."""
from django.contrib import admin

from . import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "programme", "year", "deadline", "is_demo"]


@admin.register(m.Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "administration", "round", "status", "version"]
    list_filter = ["status", "administration"]
    list_select_related = ["initiative", "administration", "round"]


@admin.register(m.ClosureReport)
class ClosureReportAdmin(ReadOnlyAdmin):
    list_display = ["institution", "administration", "closed_from", "closed_to", "extent", "is_demo"]
    list_select_related = ["administration"]


# Read-only: written only through the services (see sikkerby/admin_base.py).
from sikkerby.admin_base import ReadOnlyAdmin  # noqa: E402

from . import models as _m  # noqa: E402

admin.site.register(_m.EvaluationEvent, ReadOnlyAdmin)
admin.site.register(_m.EvaluationReminder, ReadOnlyAdmin)
admin.site.register(_m.MonitoringReport, ReadOnlyAdmin)
admin.site.register(_m.PrioritisationRound, ReadOnlyAdmin)
admin.site.register(_m.Prioritisation, ReadOnlyAdmin)
admin.site.register(_m.PrioritisationEntry, ReadOnlyAdmin)
