"""Effect goal 1's measure: charges of 14–25-year-olds for person-dangerous crime in the deprived urban areas."""
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus, register
from initiatives.models import TargetKind
from sikkerby import databasis


@register("charges_share_14_25_deprived", title=gettext_lazy(
    "Police charges of 14–25-year-olds for person-dangerous crime in the deprived areas"), rule=gettext_lazy(
    "Counts, per calendar year, the police charges of 14–25-year-olds for person-dangerous crime (violence, "
    "robbery, assault and use of weapons) committed in the deprived housing areas, from the imported police "
    "data. The goal speaks of a share of the young people living there, but no population figures exist for "
    "these areas, so the number of charges is followed instead. The goal's baseline year is compared with its "
    "deadline year (before the deadline: the latest year with data in the goal's period), and the target is the "
    "goal's fall in per cent from the baseline year. Met when the fall is reached; on track when the count is "
    "below the baseline year's; off track otherwise; after the deadline: met or not met. Not measurable yet "
    "when the police data do not cover the baseline year or a later year in the goal's period."))
def charges_share_14_25_deprived(goal, *, as_of=None) -> GoalMeasurement:
    """Goal 1 (falls 2 % towards the deadline): charges of 14–25-year-olds for person-dangerous crime in the
    deprived urban areas (areas of level ``deprived_area``), per calendar year, from the imported police charges.

    *Person-dangerous* follows annex 2 (SSP level 4): violence, robbery, assault and use of weapons — the crime
    types flagged ``person_dangerous`` (VOLD-*, ROEVERI in the catalogue). The goal is worded as a *share* of the
    14–25-year-olds living there, but the system holds no population per deprived area (DST publishes none at
    that level), so the goal is computed as the **count** of charges, located by where the offence took place.

    Only years within the goal's target period count: the goal's baseline year (else the period's first year)
    is compared with the deadline year, or before it with the latest later year within the period (up to
    ``as_of``). The target is the goal's ``target_value`` read as a change in per cent from the baseline year
    (``target_kind`` ``change_percent``; goal 1: a 2 % fall), so the target line is e.g. 98 % of the baseline
    count. Status: *met* when that line is reached; *on track* when the count moved the desired way; *off
    track* otherwise (``measure_goal`` turns these into met / not met after the deadline). *Not measurable*
    when the data do not cover the baseline year (synthetic 2024–2025 charges never judge a 2010–2013 goal),
    have no later year in the period, or the target is not a change in per cent.
    """
    from . import selectors

    start, end = goal.target_period()
    base_year = goal.baseline_year or start.year
    municipality = goal.programme.municipality
    years = selectors.charge_years(municipality=municipality)
    if as_of is not None:
        years = [y for y in years if y <= as_of.year]
    period = (start, end)
    if goal.target_kind != TargetKind.CHANGE_PERCENT or goal.target_value is None:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, period=period, explanation=_(
            "The goal's target is not a change in per cent from the baseline year, which is what this measure "
            "follows."))
    if base_year not in years:
        if years:
            explanation = _("The police charges imported cover %(first)d–%(last)d, not the goal's baseline year "
                            "%(base_year)d, so the change since %(base_year)d cannot be measured.") % {
                "first": years[0], "last": years[-1], "base_year": base_year}
        else:
            explanation = _("No police charges are imported.")
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, period=period, explanation=explanation)
    in_period = [y for y in years if base_year <= y <= end.year]
    if len(in_period) < 2:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE, period=period, explanation=_(
            "The police charges imported have no year after the baseline year %(base_year)d within the goal's "
            "period (to %(end)d).") % {"base_year": base_year, "end": end.year})
    counts = selectors.person_dangerous_charges_14_25_deprived(municipality=municipality, years=in_period)
    latest_year = in_period[-1]
    base, latest = Decimal(counts[base_year]), Decimal(counts[latest_year])
    change = goal.target_value / 100
    falling = goal.direction != "rising"
    target = (base * (1 - change if falling else 1 + change)).quantize(Decimal("0.1"))
    reached = latest <= target if falling else latest >= target
    if reached:
        status = GoalStatus.MET
    elif (latest < base) if falling else (latest > base):
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.OFF_TRACK
    pct = number_format(goal.target_value.normalize(), use_l10n=True)
    target_label = (_("%(pct)s %% fall from %(base_year)d: at most %(target)s charges") if falling else
                    _("%(pct)s %% rise from %(base_year)d: at least %(target)s charges")) % {
        "pct": pct, "base_year": base_year, "target": number_format(target, 1, use_l10n=True)}
    actual = ((latest - base) / base * 100).quantize(Decimal("0.1")) if base else None
    synthetic = selectors.synthetic_police_data(municipality=municipality)
    return GoalMeasurement(
        status=status, value=latest, n=int(latest), unit=_("charges"), reached=reached, target=target,
        target_label=target_label, baseline=(str(base_year), base), period=period,
        series=[(str(y), Decimal(counts[y])) for y in in_period],
        data_basis=databasis.basis(synthetic=synthetic),
        explanation=_("Charges of 14–25-year-olds for person-dangerous crime in the deprived urban areas: "
                      "%(latest)d in %(year)d against %(base)d in %(base_year)d, a change of %(change)s %% "
                      "(target: %(target)s; a count: no population per deprived area is available).") % {
            "latest": int(latest), "year": latest_year, "base": int(base), "base_year": base_year,
            "change": "–" if actual is None else number_format(actual, 1, use_l10n=True, force_grouping=False),
            "target": target_label})
