from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # Roles are groups; they must exist on every database, test databases
        # included, so they are (re)made after every migrate.
        from .services import roles_ensure

        # Not tied to one sender: permissions of apps migrated after this one
        # only exist once their own post_migrate has run.
        post_migrate.connect(lambda **kwargs: roles_ensure(), weak=False, dispatch_uid="accounts.roles_ensure")
