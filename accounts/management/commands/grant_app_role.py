"""``manage.py grant_app_role <role>``: run by the owner of the tables after every ``migrate``.

See ``accounts.database_roles`` and docs/database-roles.md.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from accounts.database_roles import APPEND_ONLY_TABLES, NotPostgreSQL, app_role_grant


class Command(BaseCommand):
    help = ("Give the application's database role row privileges on every table (and on tables later "
            f"migrations create), and make the audit tables ({', '.join(APPEND_ONLY_TABLES)}) append-only "
            "for it. Run with DATABASE_URL naming the owner of the tables. PostgreSQL only; idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the application connects as (must already exist)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        try:
            result = app_role_grant(role=role, connection=connections[database])
        except NotPostgreSQL as exc:
            raise CommandError(f"{exc} Nothing to grant: SQLite has no roles.") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.role}: rows of {result.tables} tables in {result.database}.{result.schema} "
            f"(owner {result.owner}, default privileges for later tables too); "
            f"append-only: {', '.join(result.append_only) or 'none found'}.")
