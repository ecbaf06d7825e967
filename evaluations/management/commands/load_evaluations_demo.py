from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from evaluations.demo import evaluations_demo_load


class Command(BaseCommand):
    help = "Open a clearly labelled DEMO self-evaluation round 2010 for Copenhagen (needs load_demo_users)."

    def handle(self, *args, **options):
        try:
            counts = evaluations_demo_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"demo round with {counts['evaluations']} evaluations; {counts['closures']} demo closures")
