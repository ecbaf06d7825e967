from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from evaluations.demo import evaluations_demo_load


class Command(BaseCommand):
    help = "Open clearly labelled DEMO self-evaluation rounds (2010, 2024, 2025) for Copenhagen (needs load_demo_users)."

    def handle(self, *args, **options):
        try:
            counts = evaluations_demo_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"demo rounds with {counts['evaluations']} evaluations; {counts['closures']} demo closures")
