"""Admin: crime types (a coordinator sets the STRAF11 group and the person-dangerous flag of new police codes)."""
from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from . import models as m
from .models import CrimeType


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "straf11_code", "person_dangerous"]
    list_filter = ["straf11_code", "person_dangerous"]
    search_fields = ["code", "label"]


admin.site.register(m.Straf11Figure, ReadOnlyAdmin)
admin.site.register(m.MunicipalityPopulation, ReadOnlyAdmin)
admin.site.register(m.PoliceImport, ReadOnlyAdmin)
admin.site.register(m.PoliceEvent, ReadOnlyAdmin)
admin.site.register(m.PoliceCharge, ReadOnlyAdmin)
admin.site.register(m.UneasyAreasAddendum, ReadOnlyAdmin)
admin.site.register(m.KeyFigureReport, ReadOnlyAdmin)
