"""Admin: crime types (a coordinator sets the STRAF11 group and the person-dangerous flag of new police codes)."""
from django.contrib import admin

from .models import CrimeType


@admin.register(CrimeType)
class CrimeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "straf11_code", "person_dangerous"]
    list_filter = ["straf11_code", "person_dangerous"]
    search_fields = ["code", "label"]


# Read-only: written only through the services (see sikkerby/admin_base.py).
from sikkerby.admin_base import ReadOnlyAdmin  # noqa: E402

from . import models as _m  # noqa: E402

admin.site.register(_m.Straf11Figure, ReadOnlyAdmin)
admin.site.register(_m.MunicipalityPopulation, ReadOnlyAdmin)
admin.site.register(_m.PoliceImport, ReadOnlyAdmin)
admin.site.register(_m.PoliceEvent, ReadOnlyAdmin)
admin.site.register(_m.PoliceCharge, ReadOnlyAdmin)
admin.site.register(_m.UneasyAreasAddendum, ReadOnlyAdmin)
admin.site.register(_m.KeyFigureReport, ReadOnlyAdmin)
