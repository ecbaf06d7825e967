from django.contrib import admin

from sikkerby.admin_base import ReadOnlyAdmin

from . import services
from .models import Indicator, IndicatorValue, ReportingCalendar, ReportingReminder, ValueUpload


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("number", "text", "focus_area", "responsible", "direction", "unit", "formula", "target_value")
    list_filter = ("programme", "responsible", "direction")
    filter_horizontal = ("co_responsible",)

    def save_model(self, request, obj, form, change):
        # A formula change recomputes the indicator's values through the service, never by hand.
        formula = obj.formula
        super().save_model(request, obj, form, change)
        if not change or "formula" in form.changed_data:
            services.indicator_set_formula(indicator=obj, formula=formula)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    """Read only: values change through the entry form, the upload, the API and the review page."""

    list_display = ("indicator", "area", "period", "value", "status", "revision", "superseded_at", "is_computed",
                    "is_demo")
    list_filter = ("status", "period_type", "is_computed", "is_demo", "indicator__programme")
    list_select_related = ("indicator", "area")
    search_fields = ("source", "note")


admin.site.register(ValueUpload, ReadOnlyAdmin)


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period_type", "first_period_start", "due_days", "escalate_after_days")
    list_filter = ("period_type", "indicator__programme")
    list_select_related = ("indicator",)


# Read only: a reminder row records an e-mail that was sent (services.reporting_reminders_send).
admin.site.register(ReportingReminder, ReadOnlyAdmin)
