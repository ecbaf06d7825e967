"""Who may do what with exit cases (``rules`` predicates, registered from ``ExitprogramConfig.ready``).

Least privilege: a case's personal data is seen only by the SSP+ consultant
responsible for it, the exit expert and the mentor assigned to it. Everyone
else — coordinators, API clients, other consultants — sees aggregates at most.
The row-level rule for lists is ``selectors.cases_visible_to``; these
predicates are the same rule for one object.
"""
import rules

from accounts.roles import (
    is_api_client,
    is_coordinator,
    is_data_protection,
    is_exit_expert,
    is_ssp_consultant,
)


@rules.predicate
def is_responsible_consultant(user, case):
    return case is not None and user.is_authenticated and case.ssp_consultant_id == user.pk


@rules.predicate
def is_assigned_exit_expert(user, case):
    return case is not None and user.is_authenticated and case.exit_expert_id == user.pk


@rules.predicate
def is_assigned_mentor(user, case):
    return case is not None and user.is_authenticated and case.mentor_id == user.pk


@rules.predicate
def mentors_a_case(user):
    return user.is_authenticated and user.exit_cases_mentored.exists()


@rules.predicate
def is_open_case(user, case):
    return case is not None and case.anonymised_at is None


is_case_worker = is_ssp_consultant | is_exit_expert | mentors_a_case

# Reading a case: the people assigned to it.
can_view_case = (is_ssp_consultant & is_responsible_consultant) | (is_exit_expert & is_assigned_exit_expert) \
    | is_assigned_mentor
# Case work (meetings, plan, notes): consultant and exit expert of the case.
can_work_on_case = ((is_ssp_consultant & is_responsible_consultant) | (is_exit_expert & is_assigned_exit_expert)) \
    & is_open_case
# Screening, phase changes, closure, follow-up: the responsible SSP+ consultant (annex 2).
can_manage_case = is_ssp_consultant & is_responsible_consultant & is_open_case

rules.add_perm("exitprogram.list_cases", is_case_worker)
rules.add_perm("exitprogram.create_case", is_ssp_consultant)
rules.add_perm("exitprogram.view_case", can_view_case)
rules.add_perm("exitprogram.note_case", can_view_case & is_open_case)
rules.add_perm("exitprogram.work_on_case", can_work_on_case)
rules.add_perm("exitprogram.manage_case", can_manage_case)
# The data-subject export answers for anyone's CPR number, so it is not a case worker's tool: a consultant
# could learn from it whether a person is in the programme. Only the data-protection role has it.
rules.add_perm("exitprogram.export_access_log", is_data_protection)
rules.add_perm("exitprogram.view_statistics", is_coordinator | is_ssp_consultant)
rules.add_perm("exitprogram.api_statistics", is_coordinator | is_api_client)
