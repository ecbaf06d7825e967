from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from safetywalks.demo import safety_walks_demo_load


class Command(BaseCommand):
    help = ("Load clearly labelled DEMO safety walks (2024–2025): three in Albertslund's housing areas, one in "
            "Copenhagen (needs load_programme, load_areas and load_demo_users).")

    def handle(self, *args, **options):
        try:
            counts = safety_walks_demo_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("demo safety walks: " + ", ".join(f"{code}: {n}" for code, n in sorted(counts.items())))
