"""Reference lists of the key figures: crime types, STRAF11 offence groups, age groups, comparison municipalities.

The police's own crime-type codes are not public; the catalogue below is the
set the synthetic extracts use, each tied to the STRAF11 offence group it
belongs to. A real extract may bring other codes: the import creates them
(without a group; a coordinator can set the group in the admin).
"""
from django.utils.translation import gettext_lazy as _

# STRAF11 offence codes in the 2016–2025 table. They are a selection: the
# sub-codes do not add up to TOT; "OTHER" is TOT minus the selected codes.
STRAF11_TOTAL = "TOT"
STRAF11_OTHER = "OTHER"
STRAF11_LABELS = {
    "TOT": _("All offences"),
    "12": _("Violence"),
    "1316": _("Burglary (business)"),
    "1320": _("Burglary (residential)"),
    "1332": _("Shoplifting"),
    "1336": _("Other theft"),
    "3210": _("Drugs (Euphoriants Act)"),
    "3410": _("Weapons (Offensive Weapons Act)"),
    "OTHER": _("Other offences"),
}

# (code, Danish label, STRAF11 group, person-dangerous, weight within the group)
# "Person-dangerous" follows the exit programme's definition (seed 001, annex 2):
# violence, robbery, assault, use of weapons (SSP level 4).
CRIME_TYPES = [
    ("VOLD-SIMPEL", "Simpel vold", "12", True, 0.62),
    ("VOLD-GROV", "Grov vold", "12", True, 0.26),
    ("VOLD-TJM", "Vold mod tjenestemand", "12", True, 0.12),
    ("INDBRUD-FORR", "Indbrud i forretning mv.", "1316", False, 1.0),
    ("INDBRUD-BEB", "Indbrud i beboelse", "1320", False, 1.0),
    ("TYV-BUTIK", "Butikstyveri", "1332", False, 1.0),
    ("TYV-CYKEL", "Cykeltyveri", "1336", False, 0.40),
    ("TYV-LOMME", "Lommetyveri", "1336", False, 0.22),
    ("TYV-BIL", "Tyveri fra bil", "1336", False, 0.13),
    ("TYV-ANDET", "Andre tyverier", "1336", False, 0.25),
    ("EUF", "Lov om euforiserende stoffer", "3210", False, 1.0),
    ("VAABEN", "Våbenloven", "3410", False, 1.0),
    ("ROEVERI", "Røveri", "OTHER", True, 0.05),
    ("TRUSLER", "Trusler", "OTHER", False, 0.06),
    ("HAERVAERK", "Hærværk", "OTHER", False, 0.14),
    ("BEDRAGERI", "Bedrageri", "OTHER", False, 0.22),
    ("BRUGSTYV", "Brugstyveri af køretøj", "OTHER", False, 0.04),
    ("SEDELIG", "Seksualforbrydelser", "OTHER", False, 0.03),
    ("HAELERI", "Hæleri", "OTHER", False, 0.03),
    ("DOKFALSK", "Dokumentfalsk", "OTHER", False, 0.04),
    ("BRAND", "Brandstiftelse", "OTHER", False, 0.01),
    ("ORDEN", "Ordensbekendtgørelsen", "OTHER", False, 0.10),
    ("UDL-LOV", "Udlændingeloven", "OTHER", False, 0.05),
    ("DIGITAL", "Digitale krænkelser", "OTHER", False, 0.08),
    ("ANDEN-STRFL", "Andre straffelovsforbrydelser", "OTHER", False, 0.15),
]
# Cases and incidents that are not reported crimes (traffic is left out, as in annex 7).
INCIDENT_TYPES = [
    ("H-URO", "Uro og husspektakel", 0.45),
    ("H-BORGER", "Borgerhenvendelse", 0.25),
    ("H-PSYK", "Psykisk syg person", 0.12),
    ("H-FUND", "Fund af genstande", 0.10),
    ("H-DOED", "Dødsfald uden mistanke", 0.08),
]
PERSON_DANGEROUS_CODES = frozenset(c for c, _l, _g, pd, _w in CRIME_TYPES if pd)

# Charges of 0–25-year-olds in three age groups, including under-15s (annex 1 §5.2 item 6).
AGE_GROUPS = [("0-14", 0, 14), ("15-17", 15, 17), ("18-25", 18, 25)]

# The municipalities the comparison shows: the five largest (København, Aarhus, Odense, Aalborg, Esbjerg)
# and Frederiksberg, which Copenhagen surrounds (DST area codes). The report's own municipality is always
# added, so a smaller municipality (Albertslund, 165) sees itself against the large ones.
COMPARISON_MUNICIPALITIES = ["101", "751", "461", "851", "561", "147"]
COPENHAGEN_DST = "101"


def dst_area_code(municipality) -> str:
    """Statistics Denmark's area code of a municipality: its 4-digit code without the leading zero (0165 -> 165)."""
    return str(int(municipality.code))

STRAF11_SOURCE = "Kilde: Danmarks Statistik, STRAF11 og FOLK1A"
