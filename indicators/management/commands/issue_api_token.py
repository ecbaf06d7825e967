"""Issue an API token (hashed in the database, with an expiry) to a user with the API-client role."""
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from indicators.tokens import api_token_issue


class Command(BaseCommand):
    help = "Issue a token for the REST API to an API-client user; the token is printed once and stored hashed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="Days until the token expires (1-365).")

    def handle(self, *args, username, days, **options):
        try:
            token, expiry = api_token_issue(username=username, ttl=timedelta(days=days))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Token for {username}, valid until {expiry:%Y-%m-%d %H:%M %Z}:")
        self.stdout.write(token)
        self.stdout.write("Send it as the header 'Authorization: Token <token>'. It cannot be shown again.")
