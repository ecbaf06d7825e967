"""Who may use the key figures: coordinators (they prepare the ØU reports) — least privilege.

API clients may read produced reports through the API.
"""
import rules

from accounts.roles import is_api_client, is_coordinator

rules.add_perm("crimestats.view_key_figures", is_coordinator)
rules.add_perm("crimestats.manage_key_figures", is_coordinator)
rules.add_perm("crimestats.api_key_figures", is_coordinator | is_api_client)
