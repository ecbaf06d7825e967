"""Demonstration data for the partners app: Copenhagen's partners and two years of monthly progress entries.

The months follow the demo timeline (``sikkerby.demo``, ``docs/demo.md``): every month of the recent
years (2024–2025). The partners are real public organisations (police, fire service, region and
hospitals, Metro, DSB, Movia, housing associations) and a fictional night-life association; every
contact person is fictional and labelled so, every partner and entry carries ``is_demo``.

The last month leaves a few initiatives without an entry, so the completeness view and the reminder
have something to show. Idempotent; refused where ``DEMO_DATA_ALLOWED`` is not set (production).
"""
import random
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import User
from initiatives.models import Initiative, Programme
from sikkerby.demo import RECENT_YEARS

from . import services
from .models import Partner, PartnerRole, ProgressEntry, ProgressStatus, Sector
from .selectors import add_months, initiatives_for_month

# (name, sector, description, administrations whose initiatives the partner works in)
PARTNERS = [
    ("Københavns Politi", Sector.POLICE, "Lokalpolitiet og forebyggelsesafdelingen; deltager i SSP og "
     "tryghedsvandringer.", ["BUF", "SOF", "BIF"]),
    ("Hovedstadens Beredskab", Sector.FIRE, "Brandforebyggelse, påsatte brande og uro i udsatte områder.",
     ["ØKF", "TMF"]),
    ("Region Hovedstaden", Sector.HEALTH, "Regionens psykiatri og sundhedsindsatser for unge.", ["SUF", "SOF"]),
    ("Rigshospitalet", Sector.HEALTH, "Traumecenter: registrering af voldsskader.", ["SUF"]),
    ("Bispebjerg og Frederiksberg Hospital", Sector.HEALTH, "Skadestue; voldsforebyggende samtaler.", ["SUF"]),
    ("Hvidovre Hospital", Sector.HEALTH, "Skadestue; registrering af voldsskader i nattelivet.", ["SUF"]),
    ("Region Hovedstadens Akutberedskab", Sector.AMBULANCE, "Ambulancetjenesten og Akuttelefonen 1813.",
     ["SUF", "ØKF"]),
    ("Metroselskabet", Sector.TRANSPORT, "Tryghed på stationer og i tog; kameraer og stewards.", ["TMF"]),
    ("DSB", Sector.TRANSPORT, "S-tog og stationer; tryghedsvagter.", ["TMF"]),
    ("Movia", Sector.TRANSPORT, "Busser; chaufførernes tryghed og hærværk.", ["TMF", "KFF"]),
    ("DEMO Nattelivets Samarbejdsforum", Sector.NIGHTLIFE, "Fiktiv forening af restauratører og "
     "dørmænd i Indre By (DEMO).", ["TMF", "KFF", "ØKF"]),
    ("fsb", Sector.HOUSING, "Almen boligorganisation; boligsociale helhedsplaner.", ["BIF", "BUF"]),
    ("KAB", Sector.HOUSING, "Almen boligorganisation; boligsociale helhedsplaner.", ["BIF", "BUF"]),
    ("AAB", Sector.HOUSING, "Almen boligorganisation.", ["BIF"]),
    ("3B", Sector.HOUSING, "Almen boligorganisation.", ["BIF", "SOF"]),
    ("BL – Danmarks Almene Boliger, 1. kreds", Sector.HOUSING, "De almene boligorganisationer i København.",
     ["BIF"]),
    ("Københavns Kommune, SSP København", Sector.MUNICIPALITY, "SSP-sekretariatet: skole, socialforvaltning "
     "og politi.", ["BUF", "SOF"]),
    ("Københavns Kommune, Center for Sikker By", Sector.MUNICIPALITY, "Programmets koordinering (ØKF).",
     ["ØKF"]),
    ("Kriminalforsorgen, Område København", Sector.OTHER, "Løsladelse og udslusning; exitprogrammet.", ["SOF"]),
    ("Natteravnene", Sector.CIVIL, "Frivillige voksne i gadebilledet fredag og lørdag aften.", ["KFF", "BUF"]),
]
FIRST_NAMES = ["Anne", "Bo", "Camilla", "Dennis", "Eva", "Frederik", "Gitte", "Hassan", "Ida", "Jonas", "Karin",
               "Lars", "Maja", "Nikolaj", "Olivia", "Peter", "Rikke", "Søren", "Tina", "Yasmin"]
TITLES = ["Kontaktperson", "Forebyggelseskonsulent", "Områdeleder", "Sikkerhedschef", "Projektleder"]

NARRATIVES = {
    ProgressStatus.PROGRESS: "DEMO: Flere deltagere end planlagt, og færre episoder i området end sidste måned.",
    ProgressStatus.UNCHANGED: "DEMO: Aktiviteterne kører som planlagt; ingen væsentlige ændringer.",
    ProgressStatus.REGRESS: "DEMO: Færre deltagere og flere episoder end sidste måned; indsatsen justeres.",
}
RISKS = {
    ProgressStatus.PROGRESS: "DEMO: Personaleudskiftning i sommerferien.",
    ProgressStatus.UNCHANGED: "DEMO: Usikker finansiering efter årsskiftet.",
    ProgressStatus.REGRESS: "DEMO: Uro i området kan lukke aftenåbningen.",
}
NEXT = {
    ProgressStatus.PROGRESS: "DEMO: Udvide til endnu en skole.",
    ProgressStatus.UNCHANGED: "DEMO: Fortsætte; opfølgning med politiet på næste partnermøde.",
    ProgressStatus.REGRESS: "DEMO: Ekstra gadeplansmedarbejdere og dialog med boligselskabet.",
}
STATUSES = [ProgressStatus.REGRESS, ProgressStatus.UNCHANGED, ProgressStatus.PROGRESS]


def demo_months() -> list[date]:
    first = date(RECENT_YEARS[0], 1, 1)
    return [add_months(first, i) for i in range(12 * len(RECENT_YEARS))]


def _partners(municipality, coordinator, rng) -> list[Partner]:
    out = []
    initiatives = list(Initiative.objects.filter(programme__municipality=municipality)
                       .select_related("administration").order_by("administration__code", "name"))
    for n, (name, sector, description, admins) in enumerate(PARTNERS):
        partner = Partner.objects.filter(municipality=municipality, name=name).first()
        if partner is not None:
            out.append(partner)
            continue
        partner = services.partner_save(user=coordinator, municipality=municipality, is_demo=True, name=name,
                                        sector=sector, description=f"DEMO: {description}", is_active=True)
        for k in range(2):
            first = FIRST_NAMES[(n * 2 + k) % len(FIRST_NAMES)]
            services.contact_add(user=coordinator, partner=partner, name=f"{first} Demo-{n + 1:02d}{k + 1} (DEMO)",
                                 job_title=TITLES[(n + k) % len(TITLES)],
                                 email=f"demo-partner-{n + 1:02d}-{k + 1}@example.org",
                                 phone=f"+45 00 00 {n + 1:02d} {k + 1:02d}", is_fictional=True)
        mine = [i for i in initiatives if i.administration.code in admins]
        for initiative in rng.sample(mine, min(3, len(mine))):
            role = rng.choice([PartnerRole.RUNS, PartnerRole.FUNDS, PartnerRole.RUNS_AND_FUNDS, PartnerRole.SUPPORTS])
            for year in RECENT_YEARS:
                funds = role in (PartnerRole.FUNDS, PartnerRole.RUNS_AND_FUNDS)
                services.involvement_save(
                    user=coordinator, partner=partner, initiative=initiative, year=year, role=role,
                    amount_tdkk=Decimal(rng.randrange(50, 1500, 25)) if funds else None,
                    price_level_year=year if funds else None, note="DEMO")
        out.append(partner)
    return out


def _entries(programme, coordinator, reporter, rng) -> int:
    months = demo_months()
    last = months[-1]
    have = set(ProgressEntry.objects.filter(initiative__programme=programme, month__in=months)
               .values_list("initiative_id", "month"))
    rows = []
    for initiative in initiatives_for_month(programme=programme, month=last):
        level = rng.randrange(3)
        for month in months:
            # a random walk: mostly unchanged, now and then a step up or down
            step = rng.choices([-1, 0, 1], weights=[2, 5, 3])[0]
            level = min(2, max(0, level + step))
            if (initiative.pk, month) in have:
                continue
            if month == last and rng.random() < 0.12:
                continue  # this month's missing entries: the completeness view and the reminder show them
            status = STATUSES[level]
            user = reporter if initiative.administration_id == reporter.administration_id else coordinator
            rows.append(ProgressEntry(
                initiative=initiative, month=month, status=status, narrative=NARRATIVES[status],
                figures=f"DEMO: {rng.randrange(5, 120)} deltagere; {rng.randrange(0, 15)} episoder registreret",
                risks=RISKS[status], next_steps=NEXT[status], is_demo=True, entered_by=user, updated_by=user))
    # Bulk: two years of about 90 initiatives; the rows are checked here as the service would (one per month).
    ProgressEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def partners_demo_load() -> dict:
    """Copenhagen's demo partners (with fictional contacts and budget shares) and 2024–2025's monthly entries."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    programme = Programme.objects.select_related("municipality").get(slug="sikker-by-2010")
    coordinator = User.objects.get(username="demo-koordinator")
    reporter = User.objects.get(username="demo-rapportoer")
    rng = random.Random(18)  # the number: the same demo every time
    partners = _partners(programme.municipality, coordinator, rng)
    created = _entries(programme, coordinator, reporter, rng)
    return {"partners": len(partners), "entries_created": created,
            "entries": ProgressEntry.objects.filter(initiative__programme=programme, is_demo=True).count()}
