"""Partners, safety walks and SSP single cases became modules a municipality switches on or off.

Before, every municipality had them, so every existing municipality keeps them; the programme files then say
which each municipality runs when they are loaded again (``load_programme``).
"""
from django.db import migrations

NEW = ["partners", "safety_walks", "ssp_cases"]


def keep_what_they_had(apps, schema_editor):
    Municipality = apps.get_model("initiatives", "Municipality")
    for municipality in Municipality.objects.all():
        modules = list(municipality.modules or [])
        municipality.modules = modules + [m for m in NEW if m not in modules]
        municipality.save(update_fields=["modules"])


def drop_them(apps, schema_editor):
    Municipality = apps.get_model("initiatives", "Municipality")
    for municipality in Municipality.objects.all():
        municipality.modules = [m for m in municipality.modules or [] if m not in NEW]
        municipality.save(update_fields=["modules"])


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0006_municipality_modules"),
    ]

    operations = [migrations.RunPython(keep_what_they_had, drop_them)]
