"""A read-only Django admin for records that are written only by the application's own services.

Imports, computed results, workflow history and reports have rules (whole-file
imports, frozen published versions, append-only history) that a hand edit in
the admin would bypass, so the admin may look but not change.
"""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no COUNT(*) over a million police rows

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
