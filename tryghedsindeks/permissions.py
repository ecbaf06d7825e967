"""Who may do what with the Tryghedsindeks (rules predicates; see accounts.roles).

The index is aggregate, non-personal data about areas: the people who plan
and report on the programme read it, coordinators load inputs and compute and
publish it, API clients read it through the API.
"""
import rules

from accounts.roles import is_admin_reporter, is_api_client, is_coordinator

can_view_index = is_coordinator | is_admin_reporter
can_manage_index = is_coordinator
can_read_index_api = is_coordinator | is_admin_reporter | is_api_client

rules.add_perm("tryghedsindeks.view_index", can_view_index)
rules.add_perm("tryghedsindeks.manage_index", can_manage_index)
rules.add_perm("tryghedsindeks.api_read", can_read_index_api)
