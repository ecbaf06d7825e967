from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_PASSWORD, demo_users_create
from initiatives.models import Municipality


class Command(BaseCommand):
    help = ("Create one demo user per role in Copenhagen and Albertslund, where their programmes are loaded "
            "(refused in production settings).")

    def add_arguments(self, parser):
        parser.add_argument("--municipality", default=None, help="only this municipality code (e.g. 0165)")

    def handle(self, *args, municipality, **options):
        try:
            users = demo_users_create(municipality_code=municipality)
        except (ImproperlyConfigured, Municipality.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        for u in users:
            self.stdout.write(f"demo user {u.username} ({', '.join(g.name for g in u.groups.all())}, "
                              f"{u.municipality.name})")
        self.stdout.write(f"password for every demo user: {DEMO_PASSWORD}")
