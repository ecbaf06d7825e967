"""Load clearly labelled demo values for a programme's indicators (refused in production settings)."""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from indicators import services
from indicators.demo import indicator_demo_values_create
from initiatives.models import Programme


class Command(BaseCommand):
    help = ("Create demo indicator values (city and bydele, 2008–2025), marked as demo data, and the indicators' "
            "reporting calendars (some late, some on time, one overdue).")

    def add_arguments(self, parser):
        parser.add_argument("--programme", default="sikker-by-2010")

    def handle(self, *args, programme, **options):
        try:
            obj = Programme.objects.get(slug=programme)
            n = indicator_demo_values_create(programme=obj)
        except (Programme.DoesNotExist, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} demo indicator values for {programme}, with reporting calendars")
        # The reminders the daily task would have sent by today, so the calendar page shows them (idempotent).
        reminders = services.reporting_reminders_send(on=timezone.localdate(),
                                                         municipality=obj.municipality_id)
        self.stdout.write(f"{len(reminders)} reporting reminders")
