"""manage.py load_demo_safety_index: DEMO inputs for the 35 districts (2010–2015 and 2024–2025), computed and published."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from areas.models import AreaLevel
from initiatives.models import Municipality
from tryghedsindeks.demo import DEMO_SOURCE, DEMO_YEARS, demo_inputs_csv
from tryghedsindeks.models import RunStatus, SafetyIndexMethod, SafetyIndexRun
from tryghedsindeks.services import safety_index_compute, safety_index_publish, safety_inputs_import


class Command(BaseCommand):
    help = "Load clearly labelled DEMO Tryghedsindeks inputs (2010–2015 and 2024–2025, 35 districts) and publish each year."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="0101")
        parser.add_argument("--method", default="1.0")

    @transaction.atomic
    def handle(self, *args, municipality, method, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is not allowed with these settings.")
        muni = Municipality.objects.get(code=municipality)
        method_obj = SafetyIndexMethod.objects.get(version=method)
        published = set(SafetyIndexRun.objects.filter(
            municipality=muni, level=AreaLevel.DISTRICT, method=method_obj, status=RunStatus.PUBLISHED
        ).values_list("year", flat=True))
        if published >= set(DEMO_YEARS):
            self.stdout.write("Demo Tryghedsindeks already published.")
            return
        safety_inputs_import(municipality=muni, content=demo_inputs_csv(
            municipality=muni, years=[y for y in DEMO_YEARS if y not in published]),
                             filename="demo-tryghedsindeks.csv", is_demo=True, source=DEMO_SOURCE)
        for year in DEMO_YEARS:
            if year not in published:
                run = safety_index_compute(municipality=muni, year=year, level=AreaLevel.DISTRICT,
                                           method=method_obj)
                safety_index_publish(run=run)
        self.stdout.write(self.style.SUCCESS(f"Demo Tryghedsindeks published for {list(DEMO_YEARS)}."))
