from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ExternalIdentity, IdentityProvider, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "municipality", "administration", "is_demo", "is_active")
    list_filter = ("groups", "municipality", "administration", "is_demo", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Sikker By scope"), {"fields": ("municipality", "administration", "is_demo")}),)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """Each municipality's identity providers, as data (docs/sso.md). The client secret is stored encrypted."""


    list_display = ("name", "slug", "municipality", "protocol", "enabled")
    list_filter = ("municipality", "protocol", "enabled")
    search_fields = ("name", "slug")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("municipality", "slug", "name", "protocol", "enabled")}),
        (_("OpenID Connect"), {"fields": ("issuer", "client_id", "client_secret", "scopes")}),
        (_("SAML 2.0"), {"fields": ("saml_entity_id", "saml_metadata_url", "saml_metadata_xml")}),
        (_("Claims and roles"), {"fields": ("subject_attribute", "username_attribute", "role_attribute",
                                            "role_attribute_format", "cvr", "role_mapping")}),
        (None, {"fields": ("created_at", "updated_at")}),
    )


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Who signed in through which provider; read only (made by sign-ins)."""

    list_display = ("user", "provider", "last_login_at")
    list_filter = ("provider",)
    readonly_fields = ("provider", "subject", "user", "created_at", "last_login_at")

    def has_add_permission(self, request):
        return False
