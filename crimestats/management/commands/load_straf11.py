from django.core.management.base import BaseCommand

from crimestats.services import straf11_load


class Command(BaseCommand):
    help = "Load Statistics Denmark's STRAF11 and FOLK1A tables from fixtures/crimestats/ (Kilde: Danmarks Statistik)."

    def handle(self, *args, **options):
        counts = straf11_load()
        self.stdout.write(self.style.SUCCESS(f"STRAF11 rows: {counts['straf11']}, population rows: {counts['population']}"))
