from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from sspcases.demo import demo_ssp_cases_create_all


class Command(BaseCommand):
    help = ("Create clearly fictional SSP single-case meetings (every 14 days in 2024–2025) with concerns carried "
            "from meeting to meeting, for each demo municipality; demo settings only.")

    def add_arguments(self, parser):
        parser.add_argument("--municipality", action="append",
                            help="Municipality code (repeatable); default: Copenhagen and Albertslund if loaded.")

    def handle(self, *args, municipality=None, **options):
        try:
            done = demo_ssp_cases_create_all(municipality_codes=municipality)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for code, (meetings, concerns) in done.items():
            self.stdout.write(f"{code}: {meetings} meetings held, {concerns} fictional concerns "
                              "(every one flagged as fictional).")
