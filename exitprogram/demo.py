"""Clearly fictional demo cases, so the statistics and effect goal 2 have something to show.

About 100 cases a year, half gang-related (annex 2's expectation), referred in the demo timeline's
years (``sikkerby.demo``, ``docs/demo.md``): 2010–2015 for the programme's goal period, and 2021–2025
so that closures and 2-year follow-ups fall in the recent years every demo module covers. Every person
is named "Fiktiv …", every case is flagged ``is_fictional`` and carries a "D" in its reference;
CPR numbers are valid in format only. Refused unless the settings allow demo data.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts import roles as r
from accounts.models import User
from initiatives.models import Administration, Municipality
from sikkerby.demo import EXIT_RECENT_REFERRAL_YEARS, PROGRAMME_YEARS

from . import cpr as cprlib
from .models import (
    ClosureReason,
    CrimeLevel,
    EntryChannel,
    ExitCase,
    LifeArea,
    Meeting,
    Note,
    Occupation,
    Phase,
    PhaseTransition,
    PlanItem,
    PlanStatus,
    PoolCategory,
    PoolExpense,
    Track,
)

CHANNEL_WEIGHTS = {
    EntryChannel.LOCAL_SSP: 20, EntryChannel.SOCIALCENTER: 10, EntryChannel.UU_GUIDANCE: 5, EntryChannel.BUF: 5,
    EntryChannel.JOBCENTER: 10, EntryChannel.POLICE: 20, EntryChannel.STREET_WORKERS: 8,
    EntryChannel.OWN_INITIATIVE: 7, EntryChannel.PLUS_CENTER: 5, EntryChannel.PRISON: 8, EntryChannel.SPORTS_CLUB: 2,
}
REASON_WEIGHTS = {ClosureReason.SELF_RELIANT: 65, ClosureReason.DROPPED_OUT: 20, ClosureReason.MOVED_AWAY: 10,
                  ClosureReason.OTHER: 5}


def _demo_user(username, first_name, municipality, administration, role=None):
    user, _ = User.objects.update_or_create(
        username=username, defaults={"first_name": first_name, "last_name": "(DEMO)", "is_demo": True,
                                     "municipality": municipality, "administration": administration})
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def demo_cases_create(*, municipality_code: str = "0101", years=(*PROGRAMME_YEARS, *EXIT_RECENT_REFERRAL_YEARS),
                      per_year: int = 100, seed: int = 2010) -> int:
    """Create the fictional demo cases referred in ``years`` (replacing earlier demo cases); returns how many.

    The last ten cases of the final year are still open; the rest are closed.
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    rng = random.Random(seed)
    municipality = Municipality.objects.get(code=municipality_code)
    admins = {a.code: a for a in Administration.objects.filter(municipality=municipality)}
    consultant = User.objects.filter(username="demo-ssp").first() or _demo_user(
        "demo-ssp", "Demo SSP+-konsulent", municipality, admins.get("BIF"), r.SSP_CONSULTANT)
    expert = User.objects.filter(username="demo-exit").first() or _demo_user(
        "demo-exit", "Demo Exit-ekspert", municipality, admins.get("SOF"), r.EXIT_EXPERT)
    mentor = User.objects.filter(username="demo-mentor").first() or _demo_user(
        "demo-mentor", "Demo Mentor", municipality, admins.get("SOF"), r.MENTOR)

    old = ExitCase.objects.filter(is_fictional=True, municipality=municipality)
    PoolExpense.objects.filter(case__in=old).delete()
    old.delete()

    today = date.today()
    cases, n = [], 0
    years = sorted(years)
    for year in years:
        for i in range(per_year):
            n += 1
            referral = date(year, 1, 1) + timedelta(days=rng.randrange(0, 365))
            age = rng.randint(18, 25)
            born = referral - timedelta(days=365 * age + rng.randrange(30, 330))
            seventh = "0" if born.year < 2000 else "4"
            cpr = f"{born:%d%m%y}{seventh}{n % 1000:03d}"
            gang = i % 2 == 0
            case = ExitCase(
                reference=f"EX-{year}-D{n:04d}", municipality=municipality, is_fictional=True,
                first_name="Fiktiv", last_name=f"Demoperson {n}", cpr=cpr, cpr_hash=cprlib.cpr_hash(cpr),
                age_at_referral=cprlib.age_on(cpr, referral), referral_date=referral,
                entry_channel=rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
                track=Track.GANG if gang else Track.GENERAL,
                crime_level=CrimeLevel.PERSON_DANGEROUS if rng.random() < 0.5 else CrimeLevel.SERIOUS,
                ssp_consultant=consultant, exit_expert=expert if gang else None, mentor=mentor,
                mentor_anchor=admins.get(rng.choice(["SOF", "BIF", "BUF"])),
                baseline_date=referral, baseline_economy="Fiktiv: gæld", baseline_housing="Fiktiv: bor hos familie",
                baseline_education="Fiktiv: ingen uddannelse", baseline_employment="Fiktiv: ledig",
                baseline_social="Fiktiv: kriminelt netværk", baseline_crime="Fiktiv: SSP niveau 3-4",
                phase=Phase.INCLUSION,
            )
            # The last cases of the final year are still running; the rest are closed.
            if year == years[-1] and i >= per_year - 10:
                case.phase = Phase.COORDINATION if i % 3 == 0 else Phase.INCLUSION
            else:
                closed = referral + timedelta(days=rng.randrange(150, 700))
                case.phase = Phase.CLOSED
                case.closed_on = min(closed, today)
                case.closure_reason = rng.choices(list(REASON_WEIGHTS), weights=list(REASON_WEIGHTS.values()))[0]
                case.evaluation = "Fiktiv evaluering mod baseline."
                case.evaluated_with_exit_expert = gang
                case.followup_due = case.closed_on.replace(year=case.closed_on.year + 2) \
                    if (case.closed_on.month, case.closed_on.day) != (2, 29) else date(case.closed_on.year + 2, 2, 28)
                if case.followup_due <= today and rng.random() < 0.92:
                    case.followup_done_on = case.followup_due + timedelta(days=rng.randrange(0, 60))
                    case.convicted_within_2y = rng.random() < (0.25 if gang else 0.32)
                    case.occupation_at_followup = rng.choice(list(Occupation.values))
            cases.append(case)
    ExitCase.objects.bulk_create(cases, batch_size=500)
    cases = list(ExitCase.objects.filter(is_fictional=True, municipality=municipality).order_by("pk"))

    transitions, meetings, items, notes, pool = [], [], [], [], []
    order = [Phase.IDENTIFICATION, Phase.COORDINATION, Phase.INCLUSION, Phase.CLOSED]
    for case in cases:
        steps = order[: order.index(case.phase) + 1]
        for k, phase in enumerate(steps):
            transitions.append(PhaseTransition(case=case, from_phase=steps[k - 1] if k else "", to_phase=phase,
                                               by=consultant, reason="Fiktiv"))
        meetings.append(Meeting(case=case, held_on=case.referral_date + timedelta(days=14),
                                participants="Fiktiv: SSP+, SOF, mentor", economy="Fiktiv: budget",
                                housing="Fiktiv: boligsøgning", created_by=consultant))
        items.append(PlanItem(case=case, goal="Fiktiv: start på uddannelse", area=LifeArea.EDUCATION,
                              responsible=admins["BUF"], deadline=case.referral_date + timedelta(days=180),
                              status=PlanStatus.DONE if case.phase == Phase.CLOSED else PlanStatus.IN_PROGRESS))
        notes.append(Note(case=case, written_on=case.referral_date + timedelta(days=60), text="Fiktiv opfølgning.",
                          author=consultant))
        if case.track == Track.GANG and rng.random() < 0.6:
            spent = case.referral_date + timedelta(days=rng.randrange(20, 120))
            pool.append(PoolExpense(case=case, spent_on=spent, category=rng.choice(list(PoolCategory.values)),
                                    description="Fiktivt indkøb", amount_tdkk=Decimal(rng.randrange(5, 80)),
                                    price_level_year=spent.year,
                                    administration=admins[rng.choice(["BUF", "BIF", "SOF"])], approved_by=expert))
    PhaseTransition.objects.bulk_create(transitions, batch_size=1000)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    PlanItem.objects.bulk_create(items, batch_size=1000)
    Note.objects.bulk_create(notes, batch_size=1000)
    PoolExpense.objects.bulk_create(pool, batch_size=1000)
    return len(cases)
