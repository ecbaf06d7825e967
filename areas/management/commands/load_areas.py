"""``manage.py load_areas``: load Copenhagen's area hierarchy (see fixtures/areas/README.md)."""
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from areas.services import AreaDataError, areas_load_copenhagen

COPENHAGEN_DIR = Path(settings.BASE_DIR) / "fixtures" / "areas" / "copenhagen"


class Command(BaseCommand):
    """Load (or update) Copenhagen's areas from its boundary files and print counts per level."""

    help = "Load (or update) Copenhagen's area hierarchy from fixtures/areas/copenhagen (or --directory)."

    def add_arguments(self, parser):
        """Add the optional ``--directory`` of the boundary files."""
        parser.add_argument("--directory", type=Path, default=COPENHAGEN_DIR,
                            help=f"folder with bydel.geojson, rode.geojson etc. (default: {COPENHAGEN_DIR})")

    def handle(self, *args, directory: Path, **options):
        """Run the loader and print the number of areas per level."""
        started = time.perf_counter()
        try:
            counts = areas_load_copenhagen(directory=directory)
        except (AreaDataError, FileNotFoundError) as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        for level, count in counts.items():
            self.stdout.write(f"{level}: {count}")
        self.stdout.write(f"loaded {sum(counts.values())} areas in {time.perf_counter() - started:.1f} s")
