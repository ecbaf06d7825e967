"""Admin: read only. Every change goes through the workflow (services), never the admin."""
from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from . import models as m


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


admin.site.register(m.EvaluationEvent, ReadOnlyAdmin)
admin.site.register(m.EvaluationReminder, ReadOnlyAdmin)
admin.site.register(m.MonitoringReport, ReadOnlyAdmin)
admin.site.register(m.PrioritisationRound, ReadOnlyAdmin)
admin.site.register(m.Prioritisation, ReadOnlyAdmin)
admin.site.register(m.PrioritisationEntry, ReadOnlyAdmin)
