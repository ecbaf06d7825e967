"""Django admin for the programme models, with budget lines inline and totals in the list."""
from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import (
    Administration,
    BudgetLine,
    EffectGoal,
    FocusArea,
    Initiative,
    Municipality,
    Programme,
    PublishedTotal,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "municipality")
    list_filter = ("municipality",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "start_year", "end_year", "slug")


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "programme")
    list_filter = ("programme",)
    filter_horizontal = ("effect_goals",)


@admin.register(EffectGoal)
class EffectGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "programme", "responsible", "direction", "target_text", "deadline")
    list_filter = ("programme",)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("name", "administration", "status", "funding_status", "funding_source", "budget_total")
    list_filter = ("programme", "administration", "status", "funding_status", "focus_areas")
    search_fields = ("name", "key")
    filter_horizontal = ("focus_areas", "effect_goals", "areas")
    inlines = [BudgetLineInline]
    list_select_related = ("administration",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_budget_total=Sum("budget_lines__amount_tdkk"))

    @admin.display(description=_("Budget, all lines (1,000 DKK)"), ordering="_budget_total")
    def budget_total(self, obj):
        return obj._budget_total


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("initiative", "year", "kind", "amount_tdkk", "price_level_year", "note")
    list_filter = ("initiative__programme", "year", "kind", "initiative__administration", "price_level_year")
    list_select_related = ("initiative",)
    search_fields = ("initiative__name",)
    change_list_template = "admin/initiatives/budgetline/change_list.html"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        try:
            qs = response.context_data["cl"].queryset
        except (AttributeError, KeyError):
            return response
        response.context_data["budget_total"] = qs.aggregate(total=Sum("amount_tdkk"))["total"]
        response.context_data["budget_count"] = qs.count()
        return response


@admin.register(PublishedTotal)
class PublishedTotalAdmin(admin.ModelAdmin):
    list_display = ("source", "label", "year", "kind", "status", "count", "amount_tdkk", "note")
    list_filter = ("programme", "source")
