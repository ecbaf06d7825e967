"""The roles of Sikker By and the predicates that test them.

A role is a Django group; a user's municipality and administration (on the
user) scope what the role reaches. Every permission check in the project
goes through the ``rules`` predicates below, so a role means the same thing
on a page, in the API and in a task.
"""
import rules
from django.utils.translation import gettext_lazy as _

COORDINATOR = "coordinator"
SSP_CONSULTANT = "ssp_consultant"
EXIT_EXPERT = "exit_expert"
ADMIN_REPORTER = "admin_reporter"
API_CLIENT = "api_client"
MENTOR = "mentor"
# Answers data-subject access requests about the exit programme's access log (GDPR art. 15): the
# municipality's data-protection function, not the case workers whose reads the log records.
DATA_PROTECTION = "data_protection"

ROLE_LABELS = {
    COORDINATOR: _("Coordinator"),
    SSP_CONSULTANT: _("SSP+ consultant"),
    EXIT_EXPERT: _("Exit expert"),
    ADMIN_REPORTER: _("Administration reporter"),
    API_CLIENT: _("API client (read only)"),
    MENTOR: _("Mentor (exit programme)"),
    DATA_PROTECTION: _("Data protection / access requests"),
}
ROLES = tuple(ROLE_LABELS)

is_coordinator = rules.is_group_member(COORDINATOR)
is_ssp_consultant = rules.is_group_member(SSP_CONSULTANT)
is_exit_expert = rules.is_group_member(EXIT_EXPERT)
is_admin_reporter = rules.is_group_member(ADMIN_REPORTER)
is_api_client = rules.is_group_member(API_CLIENT)
# A mentor (staff of SOF, BIF or BUF, or an external mentor with no administration) can be assigned to
# exit cases; the role itself opens nothing: a mentor reads only the cases assigned to them.
is_mentor = rules.is_group_member(MENTOR)
is_data_protection = rules.is_group_member(DATA_PROTECTION)

# Programme data (initiatives, budgets, goals) is not personal: the people who
# plan and report on the programme read it. Case workers and API clients have
# their own entry points.
can_view_programme = is_coordinator | is_admin_reporter

rules.add_perm("initiatives.view_programme", can_view_programme)
# Coordinators keep the users of their own municipality (accounts.selectors scopes the rows).
rules.add_perm("accounts.manage_users", is_coordinator)


def roles_of(user) -> list[str]:
    """The role names a user holds, in the order of ``ROLES``."""
    if not user.is_authenticated:
        return []
    names = {g.name for g in user.groups.all()}
    return [r for r in ROLES if r in names]
