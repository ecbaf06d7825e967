"""Password login, for local accounts only.

Users who sign in through their municipality's identity provider (``ExternalIdentity``) have no usable
password; this backend refuses them even if someone sets one. ``PASSWORD_LOGIN_ENABLED = False`` (where
every user comes through an identity provider, as municipalities require) leaves password login to
superusers only: the way in to configure the providers.
"""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if hasattr(user, "external_identity"):
            return False
        return getattr(settings, "PASSWORD_LOGIN_ENABLED", True) or user.is_superuser
