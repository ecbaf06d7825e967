"""Admin (platform operators only): read only. Every change goes through the services and their checks."""
from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from . import models as m


@admin.register(m.SafetyWalk)
class SafetyWalkAdmin(ReadOnlyAdmin):
    list_display = ["housing_area", "date", "leader", "municipality", "is_demo"]
    list_select_related = ["municipality"]


@admin.register(m.Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "responsible", "deadline", "status", "done_on"]
    list_filter = ["status"]
    list_select_related = ["responsible"]


admin.site.register(m.Organisation, ReadOnlyAdmin)
admin.site.register(m.Finding, ReadOnlyAdmin)
admin.site.register(m.ActionEvent, ReadOnlyAdmin)
