from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent", "municipality")
    list_filter = ("municipality", "level")
    search_fields = ("name", "code")
    list_select_related = ("parent", "municipality")
    exclude = ("geometry", "containers")
    readonly_fields = ("source",)
