"""Partners and monthly progress entries: who may write what, one entry per initiative per month."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partners import selectors, services
from partners.models import PartnerInitiative, ProgressEntry, ProgressStatus, Sector

from .conftest import MONTH

pytestmark = pytest.mark.django_db


def test_a_coordinator_keeps_partners_with_contacts_and_budget_shares(police, buf_initiative):
    inv = PartnerInitiative.objects.get(partner=police)
    assert inv.initiative == buf_initiative and inv.amount_tdkk == Decimal("250.500")
    assert inv.price_level_year == 2025 and police.contacts.count() == 1


def test_a_budget_share_needs_its_price_level_year(police, coordinator, buf_initiative):
    with pytest.raises(ValidationError) as exc:
        services.involvement_save(user=coordinator, partner=police, initiative=buf_initiative, year=2024,
                                  role="funds", amount_tdkk=Decimal("10"))
    assert "price_level_year" in exc.value.message_dict


def test_a_reporter_cannot_keep_partners(reporter):
    with pytest.raises(PermissionDenied):
        services.partner_save(user=reporter, name="X", sector=Sector.OTHER)


def test_a_partner_cannot_take_another_municipalitys_initiative(albertslund_coordinator, buf_initiative):
    partner = services.partner_save(user=albertslund_coordinator, name="Vestegnens Politi", sector=Sector.POLICE)
    with pytest.raises(ValidationError):
        services.involvement_save(user=albertslund_coordinator, partner=partner, initiative=buf_initiative,
                                  year=2025, role="runs")


def test_one_entry_per_initiative_per_month_saving_again_changes_it(reporter, buf_initiative):
    services.progress_entry_save(user=reporter, initiative=buf_initiative, month=date(2025, 6, 17),
                                 status=ProgressStatus.UNCHANGED, narrative="first")
    entry = services.progress_entry_save(user=reporter, initiative=buf_initiative, month=MONTH,
                                         status=ProgressStatus.PROGRESS, narrative="second")
    assert ProgressEntry.objects.filter(initiative=buf_initiative).count() == 1
    assert entry.month == MONTH and entry.status == "progress" and entry.narrative == "second"
    assert entry.entered_by == reporter


def test_a_reporter_enters_only_own_administrations_initiatives(reporter, sof_initiative):
    with pytest.raises(PermissionDenied):
        services.progress_entry_save(user=reporter, initiative=sof_initiative, month=MONTH,
                                     status=ProgressStatus.PROGRESS, narrative="x")


def test_a_coordinator_enters_any_initiative_of_the_municipality(coordinator, sof_initiative,
                                                                 albertslund_coordinator):
    services.progress_entry_save(user=coordinator, initiative=sof_initiative, month=MONTH,
                                 status=ProgressStatus.REGRESS, narrative="x")
    with pytest.raises(PermissionDenied):
        services.progress_entry_save(user=albertslund_coordinator, initiative=sof_initiative, month=MONTH,
                                     status=ProgressStatus.REGRESS, narrative="x")


def test_completeness_names_the_initiatives_without_an_entry(copenhagen, coordinator, history):
    data = selectors.completeness(user=coordinator, programme=copenhagen, month=MONTH)
    assert data["done"] == 2 and data["total"] == len(data["missing"]) + 2
    buf = next(r for r in data["administrations"] if r["administration"].code == "BUF")
    assert buf["done"] == 1


def test_the_pack_shows_status_trend_and_changes(copenhagen, coordinator, history, buf_initiative,
                                                 sof_initiative, police, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        pack = selectors.partner_pack(user=coordinator, programme=copenhagen, month=MONTH)
    rows = {r["initiative"].pk: r for r in pack["rows"]}
    buf, sof = rows[buf_initiative.pk], rows[sof_initiative.pk]
    assert [c["symbol"] for c in buf["trend"]] == ["●"] * 11 + ["▲"]
    assert [c["status"] for c in sof["trend"]] == ["regress"] * 12
    assert buf["changed"] and not sof["changed"]
    assert [r["initiative"] for r in pack["changes"]] == [buf_initiative]
    assert buf["partners"] == [police]
    assert dict((c["status"], n) for c, n in pack["counts"]) == {"progress": 1, "unchanged": 0, "regress": 1}
    assert pack["months"][0] == date(2024, 7, 1) and pack["months"][-1] == MONTH
    assert pack["indicators"], "every indicator has a row, with or without figures"


def test_indicator_movement_says_better_or_worse_by_the_desired_direction():
    assert selectors._assessment("falling", Decimal("-2")) == "better"
    assert selectors._assessment("falling", Decimal("3")) == "worse"
    assert selectors._assessment("rising", Decimal("3")) == "better"
    assert selectors._assessment("rising", Decimal("0")) == "unchanged"
    assert selectors._assessment("rising", None) == "none"


def test_months_parse_strictly():
    assert selectors.parse_month("2025-06") == MONTH
    for bad in ("2025-13", "25-06", "june", "", None, "2025-06-01", "9999-01"):
        assert selectors.parse_month(bad) is None
    assert selectors.add_months(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert selectors.month_end(date(2024, 2, 1)) == date(2024, 2, 29)


def test_indicator_movements_compare_the_latest_figure_with_the_period_before(copenhagen, coordinator):
    from indicators.models import Indicator, IndicatorValue
    from indicators.selectors import headline_area

    indicator = Indicator.objects.filter(programme=copenhagen, counts_persons=False, direction="falling").first()
    city = headline_area(programme=copenhagen)
    for year, value in ((2023, "120"), (2024, "100")):
        IndicatorValue.objects.create(indicator=indicator, area=city, period_type="year",
                                      period_start=date(year, 1, 1), value=Decimal(value), source="test",
                                      status="approved")
    january = {i["indicator"].pk: i for i in selectors.indicator_movements(
        user=coordinator, programme=copenhagen, month=date(2024, 1, 1))}[indicator.pk]
    assert (january["period"], january["previous_period"]) == ("2024", "2023")
    assert january["change"] == Decimal("-20") and january["assessment"] == "better"
    assert january["new_this_month"] is True
    june = {i["indicator"].pk: i for i in selectors.indicator_movements(
        user=coordinator, programme=copenhagen, month=date(2024, 6, 1))}[indicator.pk]
    assert june["period"] == "2024" and june["new_this_month"] is False
    before = {i["indicator"].pk: i for i in selectors.indicator_movements(
        user=coordinator, programme=copenhagen, month=date(2022, 6, 1))}[indicator.pk]
    assert before["value"] is None and before["assessment"] == "none"
