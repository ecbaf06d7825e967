"""The reporting-completeness card the coordinators' programme dashboard includes (``{% reporting_completeness %}``).

It lives here, not in the initiatives app, so the figures are read through the indicators selectors and the
card's words are in this app's catalogue. A fixed number of queries (the calendars and one aggregate).
"""
from django import template
from django.utils import timezone

from initiatives.models import Module

from .. import selectors

register = template.Library()


@register.inclusion_tag("indicators/partials/reporting_card.html", takes_context=True)
def reporting_completeness(context, programme):
    request = context.get("request")
    user = getattr(request, "user", None)
    if (user is None or Module.INDICATORS not in context.get("user_modules", ())
            or not user.has_perm("indicators.view_indicators")):
        return {"show": False}
    today = timezone.localdate()
    rows = selectors.reporting_status(calendars=selectors.reporting_calendar_list(user=user, programme=programme),
                                      today=today)
    return {"show": True, "programme": programme, "today": today,
            "by_admin": selectors.reporting_by_administration(rows), "totals": selectors.reporting_totals(rows)}
