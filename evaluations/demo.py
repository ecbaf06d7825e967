"""Demonstration data for the evaluations app: a clearly labelled 2010 round for Copenhagen.

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


@transaction.atomic
def evaluations_demo_load() -> dict:
    """Open the demo round, fill some BUF evaluations, rank BUF's initiatives and report two closures."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data is not allowed with these settings.")
    programme = Programme.objects.get(slug="sikker-by-2010")
    coordinator = User.objects.get(username="demo-koordinator")
    reporter = User.objects.get(username="demo-rapportoer")
    counts = {}
    evaluation_round = EvaluationRound.objects.filter(programme=programme, year=2010).first()
    if evaluation_round is None:
        evaluation_round = services.evaluation_round_open(
            programme=programme, year=2010, deadline=date(2011, 3, 1), user=coordinator,
            title="DEMO – Selvevaluering 2010", is_demo=True)
        own = list(evaluation_round.evaluations.filter(administration_id=reporter.administration_id)
                   .order_by("initiative__name")[:6])
        for ev in own[:4]:
            _draft(ev, reporter, ANSWERS)
        for ev in own[:3]:
            services.evaluation_submit(evaluation=ev, user=reporter)
        services.evaluation_review(evaluation=own[0], user=coordinator, action="accept")
        services.evaluation_review(evaluation=own[1], user=coordinator, action="return",
                                   comment="DEMO: Angiv effekterne med tal for både 2009 og 2010.")
        _draft(own[4], reporter, {"purpose": "DEMO: en halvt udfyldt kladde", "budget_tdkk": "cirka 1 mio"})
    counts["evaluations"] = evaluation_round.evaluations.count()

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

    if not ClosureReport.objects.filter(is_demo=True).exists():
        for values in (
            {"institution": "DEMO Fritidsklub", "closed_from": date(2010, 9, 14), "closed_to": date(2010, 9, 20),
             "area_text": "Nørrebro", "extent": "full", "services_affected": "Klubbens aftenåbning",
             "reason": "DEMO: uro i området efter skyderier", "actions_taken": "DEMO: ekstra gadeplansmedarbejdere"},
            {"institution": "DEMO Bibliotek", "closed_from": date(2011, 2, 2), "area_text": "Tingbjerg",
             "extent": "partial", "services_affected": "Aftenåbning", "reason": "DEMO: hærværk og trusler",
             "actions_taken": "DEMO: dialog med boligsocial helhedsplan"},
        ):
            services.closure_report_create(user=reporter, administration=reporter.administration, is_demo=True,
                                           **values)
    counts["closures"] = ClosureReport.objects.filter(is_demo=True).count()
    return counts
