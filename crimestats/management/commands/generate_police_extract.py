from pathlib import Path

from django.core.management.base import BaseCommand

from crimestats.services.synthetic import synthetic_extracts_write
from initiatives.models import Municipality


class Command(BaseCommand):
    help = "Write SYNTHETIC police extracts (events.csv, charges.csv) calibrated on STRAF11 and seed 001 annex 7."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--years", default="2024,2025")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--municipality", default="0101")

    def handle(self, *args, directory, years, scale, municipality, **options):
        counts = synthetic_extracts_write(municipality=Municipality.objects.get(code=municipality),
                                          years=[int(y) for y in years.split(",")], directory=Path(directory),
                                          scale=scale)
        self.stdout.write(self.style.SUCCESS(f"SYNTHETIC extracts in {directory}: {counts}"))
