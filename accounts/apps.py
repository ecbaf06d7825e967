from django.apps import AppConfig
from django.apps import apps as global_apps
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # Roles are groups; they must exist on every database, test databases
        # included, so they are (re)made after every migrate.
        from auditlog.registry import auditlog

        from . import encryption
        from .models import User
        from .services import roles_ensure

        # Who changed whose name, e-mail, role, administration or active state: the history on the users page.
        # Passwords and login times are not audited (a login is no change of the user).
        auditlog.register(User, include_fields=["username", "first_name", "last_name", "email", "is_active",
                                                "municipality", "administration"], m2m_fields={"groups"})

        # Not tied to one sender: permissions of apps migrated after this one
        # only exist once their own post_migrate has run.
        post_migrate.connect(lambda **kwargs: roles_ensure(), weak=False, dispatch_uid="accounts.roles_ensure")
        # The encryption canary is written once, under the newest key, by the first migrate that finds
        # its table empty (with the migration state's models: the real ones may be ahead of the tables).
        post_migrate.connect(
            # flush (between transactional tests) sends it without a migration state: the real models then.
            lambda using, apps=None, **kwargs: encryption.canary_ensure(using=using, apps=apps or global_apps),
            sender=self, weak=False, dispatch_uid="accounts.canary_ensure")
        # The keys must fit the stored data: runs with `check --database default` and before migrate.
        checks.register(encryption.check_encryption_keys, checks.Tags.database)
        checks.register(encryption.check_encrypted_field_classes, checks.Tags.models)
