"""Delete exit access-log rows past their retention; run with DATABASE_URL naming the database owner."""
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from exitprogram import services


class Command(BaseCommand):
    help = ("Delete exit-programme access-log rows kept EXIT_ACCESS_LOG_KEEP_DAYS after their case was "
            "anonymised (rows about no case: after they were written). Needs the database owner.")

    def add_arguments(self, parser):
        parser.add_argument("--keep-days", type=int, default=None,
                            help="Override EXIT_ACCESS_LOG_KEEP_DAYS for this run.")

    def handle(self, *args, keep_days=None, **options):
        try:
            deleted = services.access_log_purge(keep_days=keep_days)
        except DatabaseError as exc:
            raise CommandError(f"Could not delete access-log rows: {exc}. Run this command as the database "
                               "owner (see docs/database-roles.md); the application's role may not.") from exc
        self.stdout.write(f"{deleted} access-log rows deleted.")
