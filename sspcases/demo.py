"""Clearly fictional SSP single cases for the demo (``manage.py load_demo_ssp_cases``, docs/demo.md).

One meeting series per demo municipality (Copenhagen and Albertslund), every 14 days from the first Thursday
of the demo timeline's recent years (``sikkerby.demo.RECENT_YEARS``, 2024–2025); the meetings of those years are
held, later ones are planned. About two concerns reach each meeting, most about under-18s, each handled at one
to three meetings (so many are carried over) before a meeting closes it; the last few stay open and are carried
to the next planned meeting. Every young person is named "Fiktiv Demoung …", every concern is flagged
``is_fictional`` and carries a "D" in its reference; CPR numbers are valid in format only. Idempotent (replaces
the earlier demo rows); refused unless the settings allow demo data.
"""
import random
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from exitprogram import cpr as cprlib
from initiatives.models import Municipality
from sikkerby.demo import RECENT_YEARS

from .models import (
    Action,
    AgendaItem,
    ClosureOutcome,
    Concern,
    ConcernSource,
    ConcernStatus,
    MeetingSeries,
    MeetingStatus,
    Owner,
    SingleCaseMeeting,
)

DEMO_SSP_USER = {"0101": "demo-ssp", "0165": "demo-alb-ssp"}
POLICE_UNIT = {"0101": "Københavns Politi (demo)", "0165": "Københavns Vestegns Politi (demo)"}
ACTIONS = [Action.PARENT_TALK, Action.YOUTH_TALK, Action.SCHOOL, Action.MONITOR, Action.PARENT_ORDER,
           Action.SOCIAL_NOTIFICATION, Action.YOUTH_ORDER]
WORRIES = ["Set sammen med ældre unge i en kendt gruppe sent om aftenen.",
           "Anholdt for butikstyveri sammen med to venner.",
           "Stort skolefravær; forældrene er bekymrede.",
           "Indblandet i et slagsmål ved stationen.",
           "Har delt billeder af en kniv på sociale medier."]


@transaction.atomic
def demo_ssp_cases_create(*, municipality_code: str, seed: int = 2024) -> tuple[int, int]:
    """Create (replacing earlier demo rows) one municipality's demo series, meetings, concerns and decisions.

    Returns (meetings held, concerns).
    """
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    municipality = Municipality.objects.get(code=municipality_code)
    user = User.objects.filter(username=DEMO_SSP_USER.get(municipality_code, ""), municipality=municipality).first()
    if user is None:
        raise ImproperlyConfigured("Load the demo users first (manage.py load_demo_users).")
    Concern.objects.filter(municipality=municipality, is_fictional=True).delete()
    MeetingSeries.objects.filter(municipality=municipality, is_demo=True).delete()

    rng = random.Random(f"{seed}-{municipality_code}")
    start = date(RECENT_YEARS[0], 1, 1)
    start += timedelta(days=(3 - start.weekday()) % 7)  # the first Thursday
    last_held = date(RECENT_YEARS[-1], 12, 31)
    series = MeetingSeries.objects.create(
        municipality=municipality, name="SSP og politi: enkeltsagsmøde (demo)", start_date=start,
        police_unit=POLICE_UNIT.get(municipality_code, "Politiet (demo)"), is_demo=True, created_by=user)
    until = max(last_held, timezone.localdate()) + timedelta(days=60)
    meetings, day, number = [], start, 1
    while day <= until:
        meetings.append(SingleCaseMeeting(
            series=series, number=number, scheduled_on=day, held_on=day,
            status=MeetingStatus.HELD if day <= last_held else MeetingStatus.PLANNED,
            police_participants="Politikommissær Demo Betjent, Forebyggelsesafdelingen (demo)"
            if day <= last_held else ""))
        day += timedelta(days=series.interval_days)
        number += 1
    SingleCaseMeeting.objects.bulk_create(meetings)
    meetings = list(series.meetings.order_by("number"))
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    for m in held:
        m.ssp_participants.add(user)

    n = 0
    items = []
    for index, meeting in enumerate(held):
        for _k in range(rng.choice([1, 2, 2, 3])):
            n += 1
            registered = meeting.held_on - timedelta(days=rng.randint(1, 12))
            age = rng.randint(12, 19)
            born = registered - timedelta(days=365 * age + rng.randrange(30, 330))
            cpr = f"{born:%d%m%y}{'4' if born.year >= 2000 else '0'}{n % 1000:03d}" if rng.random() < 0.7 else ""
            concern = Concern.objects.create(
                reference=f"SSP-{registered.year}-D{municipality_code}{n:04d}"[:20], municipality=municipality,
                series=series, first_name="Fiktiv", last_name=f"Demoung {n}", cpr=cpr or None,
                cpr_hash=cprlib.cpr_hash(cpr) if cpr else "", age=cprlib.age_on(cpr, registered) if cpr else age,
                description=rng.choice(WORRIES),
                source=rng.choice([ConcernSource.POLICE, ConcernSource.POLICE, ConcernSource.SSP,
                                   ConcernSource.SCHOOL]),
                registered_on=registered, registered_by=user, is_fictional=True)
            rounds = rng.choice([1, 2, 2, 3])
            for step in range(rounds):
                if index + step >= len(held):
                    break  # still open at the end of the timeline: carried to the next planned meeting
                at = held[index + step]
                closes = step == rounds - 1
                items.append(AgendaItem(
                    meeting=at, concern=concern, action=rng.choice(ACTIONS),
                    owner=rng.choice([Owner.SSP, Owner.SSP, Owner.POLICE, Owner.SCHOOL]),
                    owner_name="Demo SSP-konsulent", deadline=at.held_on + timedelta(days=13),
                    decision="Opfølgning på næste møde." if not closes else "Bekymringen er afklaret; sagen lukkes.",
                    closes_concern=closes, recorded_by=user))
                if closes:
                    concern.status, concern.closed_on = ConcernStatus.CLOSED, at.held_on
                    concern.closure_outcome = ClosureOutcome.RESOLVED
                    concern.save(update_fields=["status", "closed_on", "closure_outcome"])
    AgendaItem.objects.bulk_create(items)
    return len(held), n


def demo_ssp_cases_create_all(*, municipality_codes=None) -> dict[str, tuple[int, int]]:
    """Every demo municipality that is loaded (or the ones named)."""
    codes = municipality_codes or [c for c in DEMO_SSP_USER if Municipality.objects.filter(code=c).exists()]
    return {code: demo_ssp_cases_create(municipality_code=code) for code in codes}
