"""Demonstration data for the evaluations app: clearly labelled rounds for Copenhagen.

The years follow the demo timeline (``sikkerby.demo``, ``docs/demo.md``): the
programme's first round (2010) with a prioritisation round and closures in
effect goal 4's period, and one round and one closure in each recent year
(2024, 2025), the years every demo module covers.

Everything is written through the services (so the workflow's rules and
history apply) by the demo users of ``load_demo_users``; rounds and closure
reports carry ``is_demo=True`` and "DEMO" in their titles. Refused where
``DEMO_DATA_ALLOWED`` is not set (production).
"""
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import User
from initiatives.models import Programme
from sikkerby.demo import RECENT_YEARS

from . import selectors, services
from .forms import EvaluationForm
from .models import ClosureReport, EvaluationRound, PrioritisationRound

ANSWERS = {
    "purpose": "DEMO: Forebygge kriminalitet blandt unge i udsatte boligområder.",
    "period_start": "2010-01-01", "period_end": "2010-12-31",
    "target_group": "Unge 12-17 år i og omkring området", "area_text": "Nørrebro",
    "benefit": "DEMO: 85 unge deltog fast; 60 af dem er i skole eller fritidsjob ved årets udgang.",
    "reached_count": "85", "effects": "DEMO: Færre henvendelser fra politiet om gruppen.",
    "challenges": "DEMO: Svært at fastholde de ældste.", "anchoring": "DEMO: Videreføres i klubbens drift.",
    "methods": "DEMO: Mentorordning og åbne aftentilbud; fungerer godt.",
    "budget_tdkk": "300", "spent_tdkk": "287.5", "price_level_year": "2010",
    "crime_score": "4", "crime_indicator": "Antal sigtelser blandt deltagerne",
    "leisure_score": "3", "leisure_indicator": "Andel med fast fritidstilbud",
}


def _draft(evaluation, user, answers):
    form = EvaluationForm(answers, instance=evaluation)
    form.is_valid()
    data, unparsed = form.parsed_and_unparsed()
    return services.evaluation_save_draft(evaluation=evaluation, user=user, data=data, unparsed=unparsed)


def _round(programme, year, coordinator, reporter):
    """Open the year's demo round and take a few of the reporter's evaluations through the workflow."""
    evaluation_round = services.evaluation_round_open(
        programme=programme, year=year, deadline=date(year + 1, 3, 1), user=coordinator,
        title=f"DEMO – Selvevaluering {year}", is_demo=True)
    answers = {**ANSWERS, "period_start": f"{year}-01-01", "period_end": f"{year}-12-31",
               "price_level_year": str(year)}
    own = list(evaluation_round.evaluations.filter(administration_id=reporter.administration_id)
               .order_by("initiative__name")[:6])
    for ev in own[:4]:
        _draft(ev, reporter, answers)
    for ev in own[:3]:
        services.evaluation_submit(evaluation=ev, user=reporter)
    services.evaluation_review(evaluation=own[0], user=coordinator, action="accept")
    services.evaluation_review(evaluation=own[1], user=coordinator, action="return",
                               comment=f"DEMO: Angiv effekterne med tal for både {year - 1} og {year}.")
    _draft(own[4], reporter, {"purpose": "DEMO: en halvt udfyldt kladde", "budget_tdkk": "cirka 1 mio"})
    return evaluation_round


@transaction.atomic
def evaluations_demo_load() -> dict:
    """Open the demo rounds, fill some BUF evaluations, rank BUF's initiatives and report the demo closures."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    programme = Programme.objects.get(slug="sikker-by-2010")
    coordinator = User.objects.get(username="demo-koordinator")
    reporter = User.objects.get(username="demo-rapportoer")
    counts = {"evaluations": 0}
    for year in (2010, *RECENT_YEARS):
        evaluation_round = EvaluationRound.objects.filter(programme=programme, year=year).first()
        if evaluation_round is None:
            evaluation_round = _round(programme, year, coordinator, reporter)
        counts["evaluations"] += evaluation_round.evaluations.count()

    prio = PrioritisationRound.objects.filter(programme=programme, is_demo=True).first()
    if prio is None:
        prio = services.prioritisation_round_open(programme=programme, title="DEMO – Prioritering 2010",
                                                  budget_year=2010, deadline=date(2010, 5, 4), user=coordinator,
                                                  is_demo=True)
        ids = list(selectors.initiatives_for_round(programme=programme, year=2010)
                   .filter(administration_id=reporter.administration_id).values_list("pk", flat=True))
        entries = [{"initiative_id": i, "ranking": "most", "rank": n + 1, "reason": "DEMO: stærke resultater"}
                   for n, i in enumerate(ids[:3])]
        entries += [{"initiative_id": i, "ranking": "least", "rank": n + 1, "reason": "DEMO: lille effekt"}
                    for n, i in enumerate(ids[3:6])]
        services.prioritisation_submit(prioritisation_round=prio, administration=reporter.administration,
                                       user=reporter, entries=entries)

    existing = set(ClosureReport.objects.filter(is_demo=True).values_list("institution", "closed_from"))
    for values in (
        {"institution": "DEMO Fritidsklub", "closed_from": date(2010, 9, 14), "closed_to": date(2010, 9, 20),
         "area_text": "Nørrebro", "extent": "full", "services_affected": "Klubbens aftenåbning",
         "reason": "DEMO: uro i området efter skyderier", "actions_taken": "DEMO: ekstra gadeplansmedarbejdere"},
        {"institution": "DEMO Bibliotek", "closed_from": date(2011, 2, 2), "area_text": "Tingbjerg",
         "extent": "partial", "services_affected": "Aftenåbning", "reason": "DEMO: hærværk og trusler",
         "actions_taken": "DEMO: dialog med boligsocial helhedsplan"},
        {"institution": "DEMO Ungdomsklub", "closed_from": date(RECENT_YEARS[0], 8, 12),
         "closed_to": date(RECENT_YEARS[0], 8, 14), "area_text": "Nørrebro", "extent": "full",
         "services_affected": "Klubbens aftenåbning", "reason": "DEMO: skudepisoder i området",
         "actions_taken": "DEMO: klubben åbnede igen med ekstra personale"},
        {"institution": "DEMO Kulturhus", "closed_from": date(RECENT_YEARS[-1], 3, 3), "area_text": "Tingbjerg",
         "extent": "partial", "services_affected": "Aftenarrangementer", "reason": "DEMO: uro og trusler",
         "actions_taken": "DEMO: tryghedsvandring med politi og boligselskab"},
    ):
        if (values["institution"], values["closed_from"]) not in existing:
            services.closure_report_create(user=reporter, administration=reporter.administration, is_demo=True,
                                           **values)
    counts["closures"] = ClosureReport.objects.filter(is_demo=True).count()
    return counts
