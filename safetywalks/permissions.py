"""Who may do what with safety walks.

Imported by ``SafetyWalksConfig.ready()`` (not named ``rules.py``: the catalogue commands run from inside the
app directory, where such a module would shadow the ``rules`` package). Which rows a user sees at all is in
``selectors`` (the municipality's own); these predicates decide the actions.

Coordinators and administration reporters plan walks, record findings and manage actions; every other role of
the municipality reads them (walks hold places and organisations, nothing about persons).
"""
import rules

from accounts import roles

can_manage = roles.is_coordinator | roles.is_admin_reporter
can_view = (can_manage | roles.is_ssp_consultant | roles.is_exit_expert | roles.is_api_client | roles.is_mentor
            | roles.is_data_protection)

rules.add_perm("safetywalks.view", can_view)
rules.add_perm("safetywalks.manage", can_manage)
