from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from crimestats.models import ReportStatus, ReportTrigger
from crimestats.periods import quarter_period, year_to_date
from crimestats.services import report_request

from ._common import command_error, municipality_or_error


class Command(BaseCommand):
    help = "Produce an ØU key-figure report: --quarter 2025K2 or --to 2025-05-31 (year to date)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--quarter")
        group.add_argument("--to")
        parser.add_argument("--municipality", default="0101")

    def handle(self, *args, quarter, to, municipality, **options):
        if quarter:
            try:
                year, q = quarter.upper().split("K")
                period = quarter_period(int(year), int(q))
            except ValueError:
                raise CommandError("--quarter must look like 2025K2") from None
        else:
            try:
                period = year_to_date(date.fromisoformat(to))
            except ValueError:
                raise CommandError("--to must be a date like 2025-05-31") from None
        m = municipality_or_error(municipality)
        try:
            report = report_request(municipality=m, period=period, trigger=ReportTrigger.COMMAND)
        except ValidationError as exc:
            raise command_error(exc, f"{period.label}: ") from None
        report.refresh_from_db()
        state = "produced" if report.status == ReportStatus.DONE else f"queued ({report.status})"
        self.stdout.write(self.style.SUCCESS(f"Report {report.label} version {report.version}: {state}"))
