"""Method version 1.0 of the Tryghedsindeks, as data (see docs/tryghedsindeks.md).

The parameters are written out here, not imported, so the published method
can never change when code changes.
"""
import datetime

from django.db import migrations

PARAMETERS = {
    "anchors": {
        "perceived_crime": [
            "0",
            "100"
        ],
        "police": [
            "0",
            "300"
        ],
        "safe_day": [
            "100",
            "70"
        ],
        "safe_evening": [
            "100",
            "40"
        ],
        "victimisation": [
            "0",
            "30"
        ]
    },
    "min_population": 1000,
    "min_respondents": 30,
    "quantum": "0.01",
    "thresholds": [
        [
            "minimal",
            "85"
        ],
        [
            "reduceret",
            "75"
        ],
        [
            "ordinaer",
            "65"
        ],
        [
            "intensiveret",
            "55"
        ]
    ],
    "weights": {
        "perceived_crime": "0.20",
        "police": "0.25",
        "safe_day": "0.10",
        "safe_evening": "0.20",
        "victimisation": "0.25"
    }
}


def create(apps, schema_editor):
    Method = apps.get_model("tryghedsindeks", "SafetyIndexMethod")
    Method.objects.get_or_create(version="1.0", defaults={
        "name": "Tryghedsindeks",
        "description": "Experienced safety (perceived crime 20 %, safe in daytime 10 %, safe in the "
                       "evening 20 %) and actual safety (victimisation 25 %, police reports per 1,000 "
                       "residents 25 %), each scored 0-100 between fixed anchors; five categories of need.",
        "parameters": PARAMETERS,
        "valid_from": datetime.date(2010, 1, 1),
    })


class Migration(migrations.Migration):
    dependencies = [("tryghedsindeks", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
