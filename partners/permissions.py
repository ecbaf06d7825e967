"""Who may do what with partners and monthly progress entries.

Scoping (which rows a user sees at all) is in ``selectors``; these predicates decide the actions.
Not named ``rules.py``: the catalogue commands run from inside the app directory, where such a module
would shadow the ``rules`` package.
"""
import rules

from accounts.roles import is_admin_reporter, is_api_client, is_coordinator


@rules.predicate
def owns_initiative(user, initiative) -> bool:
    """The initiative belongs to the user's administration, in the user's municipality."""
    return (initiative is not None and user.administration_id is not None
            and initiative.administration_id == user.administration_id
            and initiative.programme.municipality_id == user.municipality_id)


@rules.predicate
def initiative_in_municipality(user, initiative) -> bool:
    return initiative is not None and initiative.programme.municipality_id == user.municipality_id


# Partners and the pack are programme data (no citizen in them): those who plan and report read them.
rules.add_perm("partners.view", is_coordinator | is_admin_reporter)
rules.add_perm("partners.manage", is_coordinator)
# Contact persons are staff of other organisations: only the coordinators, who keep the partnership, see them.
rules.add_perm("partners.view_contacts", is_coordinator)
rules.add_perm("partners.enter_progress", (is_coordinator & initiative_in_municipality)
               | (is_admin_reporter & owns_initiative))
rules.add_perm("partners.api", is_coordinator | is_admin_reporter | is_api_client)
