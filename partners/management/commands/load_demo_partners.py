from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from partners.demo import partners_demo_load


class Command(BaseCommand):
    help = ("Load Copenhagen's DEMO partners (fictional contact persons) and monthly progress entries for "
            "2024–2025 (needs load_demo_users).")

    def handle(self, *args, **options):
        try:
            counts = partners_demo_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{counts['partners']} demo partners; {counts['entries']} demo progress entries "
                          f"({counts['entries_created']} new)")
