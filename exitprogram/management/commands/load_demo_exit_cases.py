from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from exitprogram.demo import demo_cases_create


class Command(BaseCommand):
    help = ("Create clearly fictional exit cases (about 100 a year in 2010–2015 and 2021–2025, half gang-related); "
            "demo settings only.")

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default="0101")
        parser.add_argument("--per-year", type=int, default=100)

    def handle(self, *args, municipality, per_year, **options):
        try:
            n = demo_cases_create(municipality_code=municipality, per_year=per_year)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} fictional exit cases created (every one flagged as fictional).")
