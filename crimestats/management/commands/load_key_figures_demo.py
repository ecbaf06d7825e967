import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from crimestats.models import KeyFigureReport, PoliceEvent


class Command(BaseCommand):
    help = "Demo data for the key figures: STRAF11 + FOLK1A, and SYNTHETIC police extracts for 2024–2025, imported."

    def add_arguments(self, parser):
        parser.add_argument("--years", default="2024,2025")

    def handle(self, *args, years, **options):
        call_command("load_straf11", stdout=self.stdout)
        if PoliceEvent.objects.filter(record_id__startswith="SYN-").exists():
            self.stdout.write("Synthetic police extracts already imported.")
        else:
            self._import_synthetic(years)
        # One report so the coordinator's list is not empty (made again only if none exists).
        if not KeyFigureReport.objects.exists():
            call_command("make_key_figure_report", quarter=f"{years.split(',')[-1]}K4", stdout=self.stdout)

    def _import_synthetic(self, years):
        with tempfile.TemporaryDirectory() as tmp:
            call_command("generate_police_extract", tmp, years=years, stdout=self.stdout)
            for kind in ("events", "charges"):
                call_command("import_police_extract", str(Path(tmp) / f"{kind}.csv"), kind=kind, synthetic=True,
                             stdout=self.stdout)
