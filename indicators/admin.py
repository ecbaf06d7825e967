from django.contrib import admin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("number", "text", "focus_area", "responsible", "direction", "unit")
    list_filter = ("programme", "responsible", "direction")
    filter_horizontal = ("co_responsible",)
