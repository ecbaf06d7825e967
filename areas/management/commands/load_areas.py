"""``manage.py load_areas``: load the municipalities' areas (see fixtures/areas/README.md).

Copenhagen's full hierarchy from its own boundary files, and Albertslund's outline (DAGI 2014) as its
municipality-level area.
"""
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from areas.services import (
    DAGI_KOMMUNE_FILE,
    AreaDataError,
    areas_load_copenhagen,
    areas_load_municipality_outline,
)

COPENHAGEN_DIR = Path(settings.BASE_DIR) / "fixtures" / "areas" / "copenhagen"
# Municipalities whose only area is their outline: code -> the DAGI kommune file holding it.
OUTLINES = {"0165": Path(settings.BASE_DIR) / "fixtures" / "areas" / "albertslund" / DAGI_KOMMUNE_FILE}


class Command(BaseCommand):
    """Load (or update) Copenhagen's areas and the other municipalities' outlines; print counts per level."""

    help = ("Load (or update) Copenhagen's area hierarchy from fixtures/areas/copenhagen (or --directory) "
            "and Albertslund's outline from fixtures/areas/albertslund.")

    def add_arguments(self, parser):
        """Add the optional ``--directory`` of Copenhagen's boundary files."""
        parser.add_argument("--directory", type=Path, default=COPENHAGEN_DIR,
                            help=f"folder with bydel.geojson, rode.geojson etc. (default: {COPENHAGEN_DIR})")

    def handle(self, *args, directory: Path, **options):
        """Run the loaders and print the number of areas per level."""
        started = time.perf_counter()
        try:
            counts = areas_load_copenhagen(directory=directory)
            outlines = [areas_load_municipality_outline(path=path, code=code) for code, path in OUTLINES.items()]
        except (AreaDataError, FileNotFoundError) as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        for level, count in counts.items():
            self.stdout.write(f"{level}: {count}")
        for area in outlines:
            self.stdout.write(f"{area.municipality.code} {area.name}: outline")
        self.stdout.write(f"loaded {sum(counts.values()) + len(outlines)} areas in "
                          f"{time.perf_counter() - started:.1f} s")
