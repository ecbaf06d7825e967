"""Who may do what with indicator data (rules predicates; loaded in ``IndicatorsConfig.ready``).

Reading programme-level indicator data is for the people who plan and report
on the programme and for API clients; entering values is for the
administration reporters of the administrations responsible for an
indicator; approving is for coordinators.
"""
import rules

from accounts.roles import is_admin_reporter, is_api_client, is_coordinator


@rules.predicate
def is_responsible_for(user, indicator) -> bool:
    """The user's administration leads or shares the indicator (and it is entered, not computed)."""
    if indicator is None or not user.administration_id or indicator.is_computed:
        return False
    if indicator.programme.municipality_id != user.municipality_id:
        return False
    if indicator.responsible_id == user.administration_id:
        return True
    return indicator.co_responsible.filter(pk=user.administration_id).exists()


can_view_indicators = is_coordinator | is_admin_reporter
can_use_api = is_coordinator | is_admin_reporter | is_api_client

rules.add_perm("indicators.view_indicators", can_view_indicators)
rules.add_perm("indicators.use_api", can_use_api)
rules.add_perm("indicators.enter_values", is_admin_reporter)
rules.add_perm("indicators.enter_value_for", is_admin_reporter & is_responsible_for)
rules.add_perm("indicators.approve_values", is_coordinator)
