"""Who may do what with SSP single cases (``rules`` predicates, registered from ``SspcasesConfig.ready``).

The decision, by analogy with the exit programme (docs/ssp-single-cases.md): a named young person is seen only
by the people who work the case. In the exit programme that is the assigned consultant; at a single-case
meeting it is the meeting itself — every SSP consultant of the municipality sits at it, the agenda is every open
concern, and any of them may carry an action — so the SSP consultants of the municipality read and write its
concerns, and nobody else does. Coordinators (and API clients) see counts only, as with exit cases; exit
experts, mentors, reporters and the data-protection role see nothing here. Superusers are no exception (the
selector ``concerns_visible_to`` requires the role and the municipality).

The police take part in the meetings but do not sign in (no role of the system fits them): an SSP consultant
records the concern the police bring (source "police") and the officers present on the meeting.
"""
import rules

from accounts.roles import is_api_client, is_coordinator, is_ssp_consultant


@rules.predicate
def same_municipality(user, obj):
    return obj is not None and user.is_authenticated and user.municipality_id is not None \
        and getattr(obj, "municipality_id", None) == user.municipality_id


@rules.predicate
def concern_is_open(user, concern):
    return concern is not None and concern.anonymised_at is None and concern.status == "open"


rules.add_perm("sspcases.use_meetings", is_ssp_consultant)
rules.add_perm("sspcases.view_concern", is_ssp_consultant & same_municipality)
rules.add_perm("sspcases.work_on_concern", is_ssp_consultant & same_municipality & concern_is_open)
rules.add_perm("sspcases.view_statistics", is_coordinator | is_ssp_consultant)
rules.add_perm("sspcases.api_statistics", is_coordinator | is_api_client)
