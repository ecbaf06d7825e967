"""Factories for exit cases: built through the services, so the tests see what the application writes."""
from datetime import date, timedelta

from accounts import roles
from exitprogram import services
from exitprogram.models import ClosureReason, LifeArea, Phase, Track
from initiatives.models import Administration
from tests.factories import UserFactory

_seq = iter(range(1000, 9999))


def cpr_for(born: date, seq: int | None = None) -> str:
    """A CPR number in valid format for someone born on ``born`` (7th digit by century)."""
    seq = next(_seq) if seq is None else seq
    first = "0" if born.year < 2000 else "4"
    return f"{born:%d%m%y}-{first}{seq % 1000:03d}"


def make_user(municipality, role, admin_code=None, **kw):
    administration = Administration.objects.get(municipality=municipality, code=admin_code) if admin_code else None
    return UserFactory(municipality=municipality, administration=administration, role=role, **kw)


def make_case(*, consultant, referral=date(2011, 3, 1), born=date(1990, 5, 17), track=Track.GENERAL,
              exit_expert=None, cpr=None, **kw):
    """An identification-phase case with a full baseline."""
    defaults = dict(first_name="Fiktiv", last_name="Testperson", entry_channel="local_ssp", crime_level="serious",
                    baseline_date=referral, baseline_economy="Gæld", baseline_housing="Bor hos mor",
                    baseline_education="Ingen", baseline_employment="Ledig", baseline_social="Svag",
                    baseline_crime="Niveau 3")
    defaults.update(kw)
    return services.case_create(actor=consultant, cpr=cpr or cpr_for(born), referral_date=referral, track=track,
                                exit_expert=exit_expert, **defaults)


def advance_to_inclusion(case, *, consultant, mentor):
    services.case_transition(actor=consultant, case=case, to_phase=Phase.COORDINATION, expected_version=case.version)
    services.meeting_create(actor=consultant, case=case, held_on=case.referral_date, participants="SSP+, SOF")
    sof = Administration.objects.get(municipality=case.municipality, code="SOF")
    services.plan_item_create(actor=consultant, case=case, goal="Bolig", area=LifeArea.HOUSING, responsible=sof,
                              deadline=case.referral_date + timedelta(days=180))
    services.case_update(actor=consultant, case=case, expected_version=case.version, mentor=mentor,
                         mentor_anchor=sof)
    services.case_transition(actor=consultant, case=case, to_phase=Phase.INCLUSION, expected_version=case.version)
    return case


def close_case(case, *, consultant, closed_on=None, reason=ClosureReason.SELF_RELIANT):
    closed_on = closed_on or case.referral_date + timedelta(days=337)  # 2011-03-01 -> 2012-02-01
    return services.case_close(actor=consultant, case=case, expected_version=case.version, closed_on=closed_on,
                               closure_reason=reason, evaluation="Klarer sig selv",
                               evaluated_with_exit_expert=case.track == Track.GANG)


def complete_case(case, *, consultant, mentor, convicted=False, closed_on=None,
                  reason=ClosureReason.SELF_RELIANT):
    advance_to_inclusion(case, consultant=consultant, mentor=mentor)
    close_case(case, consultant=consultant, closed_on=closed_on, reason=reason)
    return services.case_followup_record(actor=consultant, case=case, expected_version=case.version,
                                         done_on=case.followup_due, convicted=convicted, occupation="employment")


__all__ = ["cpr_for", "make_user", "make_case", "advance_to_inclusion", "close_case", "complete_case", "roles"]
