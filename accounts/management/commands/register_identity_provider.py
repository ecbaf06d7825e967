"""``manage.py register_identity_provider``: add or change a municipality's identity provider.

The same row a superuser edits in the admin (``accounts.IdentityProvider``); see docs/sso.md. The client
secret is read from an environment variable or standard input, never from the command line (which other
users of the host can see in the process list).
"""
import json
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import IdentityProvider
from accounts.sso.services import identity_provider_register


def _rule(text: str) -> dict:
    """VALUE=ROLE or VALUE=ROLE:ADMINISTRATION (the value may itself contain "=": the last one splits)."""
    value, sep, rest = text.rpartition("=")
    if not sep or not value:
        raise CommandError(f"--map takes VALUE=ROLE[:ADMINISTRATION], not {text!r}")
    role, _sep, administration = rest.partition(":")
    return {"value": value, "role": role, "administration": administration or None}


class Command(BaseCommand):
    help = "Register (or update) a municipality's OpenID Connect or SAML 2.0 identity provider."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="short name, used in the login address /sso/SLUG/login/")
        parser.add_argument("--municipality", required=True, help="municipality code, e.g. 0101")
        parser.add_argument("--name", required=True, help='shown as "Log ind med NAME"')
        parser.add_argument("--protocol", choices=IdentityProvider.Protocol.values, default="oidc")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--client-id", default="")
        parser.add_argument("--client-secret-env", metavar="VARIABLE",
                            help="name of the environment variable holding the client secret")
        parser.add_argument("--client-secret-stdin", action="store_true", help="read the client secret from stdin")
        parser.add_argument("--scopes", default="openid profile email")
        parser.add_argument("--entity-id", default="", help="SAML: the identity provider's entity id")
        parser.add_argument("--metadata-url", default="", help="SAML: the identity provider's metadata address")
        parser.add_argument("--metadata-file", help="SAML: a file with the identity provider's metadata XML")
        parser.add_argument("--subject-attribute", default=None)
        parser.add_argument("--username-attribute", default=None)
        parser.add_argument("--role-attribute", default="groups")
        parser.add_argument("--role-format", choices=IdentityProvider.AttributeFormat.values, default="values")
        parser.add_argument("--cvr", default="", help="OIO-BPP: the municipality's CVR number")
        parser.add_argument("--map", action="append", default=[], metavar="VALUE=ROLE[:ADMINISTRATION]",
                            help="a rule of the role mapping (repeat it)")
        parser.add_argument("--mapping-file", help="a JSON file with the whole role mapping")
        parser.add_argument("--disabled", action="store_true")

    def handle(self, *args, **o):
        mapping = [_rule(text) for text in o["map"]]
        if o["mapping_file"]:
            with open(o["mapping_file"], encoding="utf-8") as f:
                mapping += json.load(f)
        secret = ""
        if o["client_secret_env"]:
            secret = os.environ.get(o["client_secret_env"], "")
            if not secret:
                raise CommandError(f"the environment variable {o['client_secret_env']} is empty")
        elif o["client_secret_stdin"]:
            secret = sys.stdin.readline().strip()
        fields = {
            "name": o["name"], "protocol": o["protocol"], "enabled": not o["disabled"],
            "issuer": o["issuer"], "client_id": o["client_id"], "scopes": o["scopes"],
            "saml_entity_id": o["entity_id"], "saml_metadata_url": o["metadata_url"],
            "role_attribute": o["role_attribute"], "role_attribute_format": o["role_format"], "cvr": o["cvr"],
            "role_mapping": mapping,
        }
        existing = IdentityProvider.objects.filter(slug=o["slug"]).first()
        if secret or existing is None:
            fields["client_secret"] = secret
        if o["metadata_file"]:
            with open(o["metadata_file"], encoding="utf-8") as f:
                fields["saml_metadata_xml"] = f.read()
        default_subject = "" if o["protocol"] == "saml" else "sub"
        fields["subject_attribute"] = o["subject_attribute"] if o["subject_attribute"] is not None else default_subject
        if o["username_attribute"] is not None:
            fields["username_attribute"] = o["username_attribute"]
        try:
            provider = identity_provider_register(municipality_code=o["municipality"], slug=o["slug"], **fields)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{'updated' if existing else 'registered'} {provider.slug} for {provider.municipality} "
                          f"({provider.get_protocol_display()}, {len(provider.role_mapping)} mapping rules); "
                          f"login address /sso/{provider.slug}/login/")
