"""The sections of the ØU report, in the order of annex 1 §5.2 — shared by the page, the PDF and Excel."""
from django.utils.translation import gettext_lazy as _

TABLES = [
    ("reports_by_type", _("1. Reports by type of crime")),
    ("reports_by_area", _("2. Reports by area (bydel)")),
    ("top_locations", _("3. Top 25 locations of cases and incidents")),
    ("events_by_area", _("4. Cases and incidents by area (bydel)")),
    ("top_crime_types", _("5. The 25 most frequent types of crime")),
    ("charges_by_age", _("6. Charges of 0–25-year-olds by age group")),
    ("charges_u18_by_type", _("7. Charges against under-18s by type of crime")),
]
SUPPRESSED_TABLES = {"charges_by_age", "charges_u18_by_type"}

# The "by area" tables group by the police rows' bydel. A municipality without bydele (Albertslund) gets
# these neutral headings instead of naming a level it does not have.
AREA_TABLES_WITHOUT_BYDELE = {
    "reports_by_area": _("2. Reports by area"),
    "events_by_area": _("4. Cases and incidents by area"),
}


def table_title(key: str, title, area_level: str | None):
    """A section's heading for a report whose "by area" tables group by ``area_level`` (None: no bydele)."""
    if area_level is None:
        return AREA_TABLES_WITHOUT_BYDELE.get(key, title)
    return title


def area_level_of(data: dict) -> str | None:
    """The area level a stored report's "by area" tables group by (reports stored before it was recorded: bydel)."""
    return data.get("area_level", "bydel")

# The two 1×1 km grid maps of annex 7: (key, title, the count named in the legend, threshold setting).
GRIDS = [
    ("reports", _("1×1 km grid of reports"), _("reports"), "KEY_FIGURES_GRID_THRESHOLD"),
    ("events", _("1×1 km grid of cases and incidents"), _("cases and incidents"),
     "KEY_FIGURES_EVENTS_GRID_THRESHOLD"),
]

# Short sheet names of the workbook (at most 31 characters in every language; the full title is in A1).
SHEET_NAMES = {
    "reports_by_type": _("1 Reports by type"),
    "reports_by_area": _("2 Reports by area"),
    "top_locations": _("3 Top 25 locations"),
    "events_by_area": _("4 Cases and incidents by area"),
    "top_crime_types": _("5 Top 25 crime types"),
    "charges_by_age": _("6 Charges by age group"),
    "charges_u18_by_type": _("7 Charges of under-18s by type"),
    "grid-reports": _("Grid of reports"),
    "grid-events": _("Grid of cases and incidents"),
    "straf11": "STRAF11",
    "comparison": _("Municipalities"),
    "uneasy": _("Uneasy areas"),
}
