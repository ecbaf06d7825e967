"""Who may change the programme (rules predicates; loaded in ``InitiativesConfig.ready``).

Reading the programme is ``initiatives.view_programme`` (accounts.roles). Keeping it —
focus areas, effect goals, indicators, initiatives and their budget lines — is the
coordinators' job, always within their own municipality (the selectors scope the rows).
"""
import rules

from accounts.roles import is_coordinator

rules.add_perm("initiatives.manage_programme", is_coordinator)
