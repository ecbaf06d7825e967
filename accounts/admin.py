from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "municipality", "administration", "is_demo", "is_active")
    list_filter = ("groups", "municipality", "administration", "is_demo", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Sikker By scope"), {"fields": ("municipality", "administration", "is_demo")}),)
