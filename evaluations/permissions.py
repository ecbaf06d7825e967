"""Who may do what with self-evaluations, prioritisations and closure reports.

Imported by ``EvaluationsConfig.ready()`` (not named ``rules.py``: the
catalogue commands run from inside the app directory, where such a module
would shadow the ``rules`` package). Scoping (which rows a user
sees at all) is in ``selectors``; these predicates decide the actions.
"""
import rules

from accounts.roles import is_admin_reporter, is_coordinator

from .models import EvaluationStatus

EDITABLE = {EvaluationStatus.NOT_STARTED, EvaluationStatus.DRAFT, EvaluationStatus.RETURNED}


@rules.predicate
def owns_evaluation(user, evaluation) -> bool:
    return evaluation is not None and user.administration_id is not None \
        and evaluation.administration_id == user.administration_id


@rules.predicate
def in_municipality(user, evaluation) -> bool:
    return evaluation is not None and evaluation.round.programme.municipality_id == user.municipality_id


@rules.predicate
def is_editable(user, evaluation) -> bool:
    return evaluation is not None and evaluation.status in EDITABLE


@rules.predicate
def is_submitted(user, evaluation) -> bool:
    return evaluation is not None and evaluation.status == EvaluationStatus.SUBMITTED


can_use_evaluations = is_coordinator | is_admin_reporter
rules.add_perm("evaluations.use", can_use_evaluations)
rules.add_perm("evaluations.manage_rounds", is_coordinator)
rules.add_perm("evaluations.edit_evaluation", is_admin_reporter & owns_evaluation & is_editable)
rules.add_perm("evaluations.review_evaluation", is_coordinator & in_municipality & is_submitted)
rules.add_perm("evaluations.report_closure", is_coordinator | is_admin_reporter)
rules.add_perm("evaluations.prioritise", is_admin_reporter)
