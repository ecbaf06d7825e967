"""Admin (platform operators only): read only; coordinators keep partners and entries on the app's own pages."""
from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from . import models as m


@admin.register(m.Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "municipality", "sector", "is_active", "is_demo"]
    list_filter = ["sector", "municipality"]
    list_select_related = ["municipality"]


@admin.register(m.ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "month", "status", "is_demo"]
    list_filter = ["status"]
    list_select_related = ["initiative"]


admin.site.register(m.PartnerContact, ReadOnlyAdmin)
admin.site.register(m.PartnerInitiative, ReadOnlyAdmin)
admin.site.register(m.ProgressReminder, ReadOnlyAdmin)


@admin.register(m.PartnerPackPdf)
class PartnerPackPdfAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "municipality", "month", "status", "created_at"]
    exclude = ["pdf"]
