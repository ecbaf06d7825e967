"""Load clearly labelled demo values for a programme's indicators (refused in production settings)."""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from indicators.demo import indicator_demo_values_create
from initiatives.models import Programme


class Command(BaseCommand):
    help = "Create demo indicator values (city and bydele, 2008–2025), marked as demo data."

    def add_arguments(self, parser):
        parser.add_argument("--programme", default="sikker-by-2010")

    def handle(self, *args, programme, **options):
        try:
            n = indicator_demo_values_create(programme=Programme.objects.get(slug=programme))
        except (Programme.DoesNotExist, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} demo indicator values for {programme}")
