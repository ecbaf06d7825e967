from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from accounts.encryption import canary_ensure, fields_reencrypt
from sikkerby.encryption import EncryptionKeyError


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field of every row under the newest key in FIELD_ENCRYPTION_KEYS "
            "(after adding a key in front; before dropping an old one or FIELD_ENCRYPTION_SALT). Safe to repeat.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, batch_size, database, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            results = fields_reencrypt(using=database, batch_size=batch_size)
            canary_ensure(using=database)
        except (EncryptionKeyError, ImproperlyConfigured) as exc:
            raise CommandError(f"{exc} Batches before this one are committed; fix the keys and run again.") \
                from exc
        for r in results:
            self.stdout.write(f"{r.model}: {r.rows} rows, {r.reencrypted} values re-encrypted, "
                              f"{r.current} already under the newest key")
        total = sum(r.reencrypted for r in results)
        self.stdout.write(self.style.SUCCESS(
            f"done: {total} values re-encrypted in {len(results)} models; every encrypted value is now "
            "under the newest key"))
