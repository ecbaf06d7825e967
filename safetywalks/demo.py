"""Demo safety walks (``manage.py load_demo_safety_walks``), labelled ``is_demo``, in the demo's recent years.

Albertslund's strategy (seed 003) promises safety walks in every housing area that wants one; the demo walks
three of its housing areas in 2024 and 2025 (autumn evenings, when lighting matters). Albertslund has only its
outline as an area (``fixtures/areas/albertslund``), so its walks are in that area and name the housing area
walked. Copenhagen gets two walks in deprived urban areas. The findings and actions are invented; the
organisations are named by role only (police, municipal units, housing associations), never persons.
Idempotent: the municipality's demo walks are replaced.
"""
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from shapely.geometry import shape

from accounts.models import User
from areas.models import Area, AreaLevel
from initiatives.models import Municipality
from sikkerby.demo import RECENT_YEARS

from . import services
from .models import ActionStatus, Organisation, SafetyWalk

Y1, Y2 = RECENT_YEARS[0], RECENT_YEARS[-1]

ORGANISATIONS = {
    "0165": [("Københavns Vestegns Politi", "police"), ("Albertslund Kommune, Vej og Park", "municipality"),
             ("SSP Albertslund", "municipality"), ("Boligselskabets afdelingsbestyrelse (demo)", "housing_association"),
             ("Boligselskabets ejendomskontor (demo)", "housing_association")],
    "0101": [("Københavns Politi", "police"), ("Teknik- og Miljøforvaltningen", "municipality"),
             ("Center for Sikker By", "municipality"), ("Boligorganisationens driftskontor (demo)", "housing_association")],
}

# (housing area, date, leader, centre (lat, lon) or None for the area's own inner point, findings)
# finding: (kind, category, offset (dlat, dlon), description, proposed action, action or None)
# action: (responsible index, deadline, status, done_on)
WALKS = {
    "0165": [
        ("Hyldespjældet", date(Y1, 9, 17), "police", (55.6600, 12.3500), [
            ("unsafe", "lighting", (0.0006, -0.0008), "Stien mellem gårdene er mørk; to lamper er gået ud.",
             "Udskift de to lamper og tjek resten af stien.", (1, date(Y1, 11, 1), ActionStatus.DONE, date(Y1, 10, 20))),
            ("unsafe", "vegetation", (-0.0004, 0.0010), "Høje buske ved cykelskuret skjuler indgangen.",
             "Beskær buskene til under 1 meter.", (4, date(Y1, 12, 1), ActionStatus.DONE, date(Y1, 11, 15))),
            ("safe", "other", (0.0010, 0.0004), "Den oplyste plads ved fælleshuset opleves tryg om aftenen.", "", None),
        ]),
        ("Galgebakken", date(Y1, 10, 8), "housing_association", (55.6620, 12.3650), [
            ("unsafe", "litter", (0.0005, 0.0006), "Henstillet affald og storskrald ved garageanlægget.",
             "Fast afhentning hver uge og skilte om storskrald.", (4, date(Y2, 3, 1), ActionStatus.DONE, date(Y2, 2, 10))),
            ("unsafe", "vandalism", (-0.0006, -0.0004), "Knust belysning i tunnellen under vejen.",
             "Hærværkssikre armaturer i tunnellen.", (1, date(Y2, 6, 1), ActionStatus.IN_PROGRESS, None)),
        ]),
        ("Kanalens Kvarter", date(Y2, 9, 23), "municipality", (55.6650, 12.3560), [
            ("unsafe", "lighting", (0.0004, 0.0009), "Kanalstien er uoplyst på en strækning på ca. 100 meter.",
             "Nye lamper langs kanalstien.", (1, date(Y2, 12, 1), ActionStatus.OPEN, None)),
            ("unsafe", "traffic", (-0.0007, 0.0002), "Knallerter kører stærkt på stien ved skolen.",
             "Chikaner på stien og dialog via SSP.", (2, date(Y2 + 1, 3, 1), ActionStatus.OPEN, None)),
            ("safe", "other", (0.0008, -0.0006), "Legepladsen ved kanalen er godt oplyst og overskuelig.", "", None),
        ]),
    ],
    "0101": [
        ("Tingbjerg", date(Y1, 11, 5), "police", None, [
            ("unsafe", "lighting", (0.0005, 0.0008), "Mørk passage mellem to blokke.",
             "Ny belysning i passagen.", (1, date(Y2, 2, 1), ActionStatus.DONE, date(Y2, 1, 20))),
            ("unsafe", "vegetation", (-0.0006, -0.0005), "Tæt beplantning ved busstoppestedet.",
             "Beskær beplantningen.", (3, date(Y2, 12, 15), ActionStatus.IN_PROGRESS, None)),
        ]),
    ],
}
AREA_OF = {"0165": (AreaLevel.CITY, None), "0101": (AreaLevel.DEPRIVED_AREA, "Tingbjerg")}
COORDINATOR = {"0165": "demo-alb-koordinator", "0101": "demo-koordinator"}


def _area(municipality) -> Area:
    level, name = AREA_OF[municipality.code]
    qs = Area.objects.filter(municipality=municipality, level=level)
    if name:
        qs = qs.filter(name__icontains=name)
    area = qs.order_by("code").first()
    if area is None:
        raise ImproperlyConfigured(f"No area of {municipality.name} to walk in; run load_areas first.")
    return area


def _route(centre: tuple[float, float]) -> list[tuple[float, float]]:
    lat, lon = centre
    return [(lat + dlat, lon + dlon) for dlat, dlon in
            ((0.0012, -0.0015), (0.0006, -0.0008), (0.0, 0.0), (-0.0006, 0.0010), (0.0004, 0.0016))]


@transaction.atomic
def safety_walks_demo_load() -> dict[str, int]:
    """Replace the demo safety walks of every loaded demo municipality; returns walks per municipality code."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    counts = {}
    for code, walks in WALKS.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        user = User.objects.filter(username=COORDINATOR[code], municipality=municipality).first()
        if user is None:
            raise ImproperlyConfigured(f"Run load_demo_users first ({COORDINATOR[code]} is missing).")
        SafetyWalk.objects.filter(municipality=municipality, is_demo=True).delete()
        orgs = []
        for name, kind in ORGANISATIONS[code]:
            org, _ = Organisation.objects.get_or_create(municipality=municipality, name=name,
                                                        defaults={"kind": kind, "is_demo": True})
            orgs.append(org)
        area = _area(municipality)
        for housing_area, day, leader, centre, findings in walks:
            if centre is None:
                point = shape(area.geometry).representative_point()
                centre = (round(point.y, 6), round(point.x, 6))
            walk = services.walk_create(
                user=user, area=area, housing_area=housing_area, date=day, leader=leader,
                organisations=[orgs[0], orgs[1], orgs[-1]], route=services.route_geojson(_route(centre)),
                notes="Demo: en opdigtet tryghedsvandring.", is_demo=True)
            for kind, category, (dlat, dlon), description, proposal, action in findings:
                finding = services.finding_create(
                    user=user, walk=walk, kind=kind, category=category, latitude=f"{centre[0] + dlat:.6f}",
                    longitude=f"{centre[1] + dlon:.6f}", description=description, proposed_action=proposal)
                if action is None:
                    continue
                responsible, deadline, status, done_on = action
                created = services.action_create(user=user, finding=finding, description=proposal,
                                                 responsible=orgs[responsible], deadline=deadline)
                if status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
                    services.action_set_status(user=user, action=created, status=ActionStatus.IN_PROGRESS)
                if status == ActionStatus.DONE:
                    services.action_set_status(user=user, action=created, status=ActionStatus.DONE, done_on=done_on)
        counts[code] = len(walks)
    return counts
