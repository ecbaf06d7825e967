from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crimestats.models import ExtractKind, ImportStatus
from crimestats.services import police_import_create, police_import_run

from ._common import command_error, municipality_or_error


class Command(BaseCommand):
    help = "Import a police extract CSV (format: docs/crimestats.md), whole file or nothing; prints every bad row."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", choices=ExtractKind.values, required=True)
        parser.add_argument("--municipality", default="0101")
        parser.add_argument("--synthetic", action="store_true", help="mark the rows as synthetic demonstration data")

    def handle(self, *args, path, kind, municipality, synthetic, **options):
        m = municipality_or_error(municipality)
        try:
            with open(path, "rb") as fh:
                imp = police_import_create(municipality=m, kind=kind, uploaded_file=File(fh, name=Path(path).name),
                                           synthetic=synthetic)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        except ValidationError as exc:
            raise command_error(exc, f"{path}: nothing imported: ") from None
        imp = police_import_run(police_import_id=imp.pk)
        if imp.status != ImportStatus.DONE:
            for e in imp.errors:
                self.stderr.write(f"line {e['line']}: {e['message']}")
            raise CommandError(f"{path}: nothing imported ({len(imp.errors)} bad rows listed)")
        self.stdout.write(self.style.SUCCESS(
            f"{path}: {imp.rows_read} rows, {imp.rows_added} added, {imp.rows_already_present} already present"))
