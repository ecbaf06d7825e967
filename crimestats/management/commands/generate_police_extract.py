from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crimestats.services.synthetic import synthetic_extracts_write

from ._common import command_error, municipality_or_error


class Command(BaseCommand):
    help = "Write SYNTHETIC police extracts (events.csv, charges.csv) calibrated on STRAF11 and seed 001 annex 7."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--years", default="2024,2025")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--municipality", default="0101")

    def handle(self, *args, directory, years, scale, municipality, **options):
        try:
            years = [int(y) for y in years.split(",")]
        except ValueError:
            raise CommandError("--years must be a comma-separated list such as 2024,2025") from None
        try:
            counts = synthetic_extracts_write(municipality=municipality_or_error(municipality), years=years,
                                              directory=Path(directory), scale=scale)
        except ValidationError as exc:
            raise command_error(exc) from None
        if not counts["events"]:
            raise CommandError(f"no STRAF11 quarter of {years} has ended for municipality {municipality}: "
                               "run load_straf11 first (the extracts are calibrated on it)")
        self.stdout.write(self.style.SUCCESS(f"SYNTHETIC extracts in {directory}: {counts}"))
