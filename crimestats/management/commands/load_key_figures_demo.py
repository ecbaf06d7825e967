import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from crimestats.models import KeyFigureReport, PoliceEvent
from initiatives.models import Municipality
from sikkerby.demo import RECENT_YEARS


class Command(BaseCommand):
    help = ("Demo data for the key figures: STRAF11 + FOLK1A, SYNTHETIC police extracts for the demo's recent years "
            "(2024–2025), imported, and one report of the last quarter per municipality with a programme.")

    def add_arguments(self, parser):
        parser.add_argument("--years", default=",".join(str(y) for y in RECENT_YEARS))

    def handle(self, *args, years, **options):
        call_command("load_straf11", stdout=self.stdout)
        if PoliceEvent.objects.filter(record_id__startswith="SYN-").exists():
            self.stdout.write("Synthetic police extracts already imported.")
        else:
            self._import_synthetic(years)
        # One report per municipality so no coordinator's list is empty (made only where none exists). Run
        # after load_demo_safety_index (the Makefile's order), so the report carries that year's safety index.
        quarter = f"{years.split(',')[-1]}K4"
        for m in Municipality.objects.filter(programmes__isnull=False).distinct().order_by("code"):
            if not KeyFigureReport.objects.filter(municipality=m).exists():
                call_command("make_key_figure_report", quarter=quarter, municipality=m.code, stdout=self.stdout)

    def _import_synthetic(self, years):
        with tempfile.TemporaryDirectory() as tmp:
            call_command("generate_police_extract", tmp, years=years, stdout=self.stdout)
            for kind in ("events", "charges"):
                call_command("import_police_extract", str(Path(tmp) / f"{kind}.csv"), kind=kind, synthetic=True,
                             stdout=self.stdout)
