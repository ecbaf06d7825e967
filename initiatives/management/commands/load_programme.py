from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.services import ProgrammeFileError, programme_load_file

PROGRAMME_DIR = Path(settings.BASE_DIR) / "fixtures" / "programmes"


class Command(BaseCommand):
    help = "Load (or update) a programme from a YAML file; a name alone means fixtures/programmes/<name>.yaml."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="e.g. copenhagen albertslund, or paths to .yaml files")

    def handle(self, *args, files, **options):
        for name in files:
            path = Path(name) if name.endswith((".yaml", ".yml")) else PROGRAMME_DIR / f"{name}.yaml"
            try:
                result = programme_load_file(path=path)
            except ProgrammeFileError as exc:
                raise CommandError(f"{path.name}: nothing loaded:\n" + "\n".join(exc.errors)) from exc
            counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
            self.stdout.write(f"{result.programme}: {counts}")
