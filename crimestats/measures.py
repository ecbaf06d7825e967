"""Effect goal 1's measure: charges of 14–25-year-olds for person-dangerous crime in the deprived urban areas."""
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.measures import GoalMeasurement, GoalStatus, register
from sikkerby import databasis

TARGET_FALL = Decimal("0.02")


@register("charges_share_14_25_deprived", title=gettext_lazy(
    "Police charges of 14–25-year-olds for person-dangerous crime in the deprived areas"), rule=gettext_lazy(
    "Counts, per calendar year, the police charges of 14–25-year-olds for person-dangerous crime (violence, "
    "robbery, assault and use of weapons) committed in the deprived housing areas, from the imported police "
    "data. The goal speaks of a share of the young people living there, but no population figures exist for "
    "these areas, so the number of charges is followed instead. Met when the latest complete year is at least "
    "2 % below the first year with data; on track when it is below it; off track otherwise. Not measurable yet "
    "with fewer than two years of police data."))
def charges_share_14_25_deprived(goal, *, as_of=None) -> GoalMeasurement:
    """Goal 1 (falls 2 % towards the deadline): charges of 14–25-year-olds for person-dangerous crime in the
    deprived urban areas (areas of level ``deprived_area``), per calendar year, from the imported police charges.

    *Person-dangerous* follows annex 2 (SSP level 4): violence, robbery, assault and use of weapons — the crime
    types flagged ``person_dangerous`` (VOLD-*, ROEVERI in the catalogue). The goal is worded as a *share* of the
    14–25-year-olds living there, but the system holds no population per deprived area (DST publishes none at
    that level), so the goal is computed as the **count** of charges, located by where the offence took place.
    Status: *met* when the latest complete year is at least 2 % below the first year with data; *on track* when
    it is below it; *off track* otherwise; *not measurable* with fewer than two years of charges.
    """
    from . import selectors

    municipality = goal.programme.municipality
    years = selectors.charge_years(municipality=municipality)
    if as_of is not None:
        years = [y for y in years if y <= as_of.year]
    if len(years) < 2:
        return GoalMeasurement(status=GoalStatus.NOT_MEASURABLE,
                               explanation=_("Fewer than two years of police charges are imported."))
    counts = selectors.person_dangerous_charges_14_25_deprived(municipality=municipality, years=years)
    base, latest = counts[years[0]], counts[years[-1]]
    series = [(str(y), Decimal(counts[y])) for y in years]
    if base and Decimal(latest) <= Decimal(base) * (1 - TARGET_FALL):
        status = GoalStatus.MET
    elif latest < base:
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.OFF_TRACK
    synthetic = selectors.synthetic_police_data(municipality=municipality)
    return GoalMeasurement(
        status=status, value=Decimal(latest), n=latest, series=series, unit=_("charges"),
        data_basis=databasis.basis(synthetic=synthetic),
        explanation=_("Charges of 14–25-year-olds for person-dangerous crime in the deprived urban areas: "
                      "%(latest)d in %(year)d against %(base)d in %(base_year)d (a count: no population per "
                      "deprived area is available).") % {"latest": latest, "year": years[-1], "base": base,
                                                         "base_year": years[0]})
