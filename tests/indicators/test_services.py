"""Indicator values: the draft → submitted → approved workflow, revisions, permissions and formulas."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators import formula, services
from indicators.models import Indicator, IndicatorValue, ValueStatus

from .factories import IndicatorValueFactory, city


@pytest.fixture
def ind5(copenhagen):
    """Indicator 5 (school absence in deprived areas): BUF is responsible, like the ``reporter`` fixture."""
    return Indicator.objects.get(programme=copenhagen, number=5)


def _save(user, indicator, area, value, year=2011):
    return services.indicator_value_save(user=user, indicator=indicator, area=area, period_type="year",
                                         period_start=date(year, 1, 1), value=Decimal(value), source="Test")


@pytest.mark.django_db
def test_value_workflow_draft_submit_approve(reporter, coordinator, copenhagen, ind5):
    v = _save(reporter, ind5, city(copenhagen), "7.5")
    assert (v.status, v.revision, v.entered_by) == (ValueStatus.DRAFT, 1, reporter)
    v = services.indicator_value_submit(user=reporter, value=v)
    assert v.status == ValueStatus.SUBMITTED and v.submitted_by == reporter
    v = services.indicator_value_approve(user=coordinator, value=v)
    assert v.status == ValueStatus.APPROVED and v.approved_by == coordinator and v.is_published


@pytest.mark.django_db
def test_a_correction_is_a_new_revision_and_keeps_the_published_figure(reporter, coordinator, copenhagen, ind5):
    area = city(copenhagen)
    first = _save(reporter, ind5, area, "7.5")
    services.indicator_value_submit(user=reporter, value=first)
    services.indicator_value_approve(user=coordinator, value=first)
    second = _save(reporter, ind5, area, "7.9")
    assert second.pk != first.pk and second.revision == 2 and second.supersedes_id == first.pk
    first.refresh_from_db()
    assert first.value == Decimal("7.5") and first.is_published  # still the published figure
    services.indicator_value_submit(user=reporter, value=second)
    services.indicator_value_approve(user=coordinator, value=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.superseded_at is not None and not first.is_published and first.value == Decimal("7.5")
    assert second.is_published
    history = list(IndicatorValue.objects.filter(indicator=ind5, area=area).order_by("revision")
                   .values_list("revision", "value", "status"))
    assert history == [(1, Decimal("7.5000"), "approved"), (2, Decimal("7.9000"), "approved")]


@pytest.mark.django_db
def test_editing_an_open_draft_overwrites_it(reporter, copenhagen, ind5):
    a = _save(reporter, ind5, city(copenhagen), "1")
    b = _save(reporter, ind5, city(copenhagen), "2")
    assert a.pk == b.pk and IndicatorValue.objects.filter(indicator=ind5).count() == 1


@pytest.mark.django_db
def test_reporter_cannot_enter_another_administrations_indicator(reporter, copenhagen):
    gang_members = Indicator.objects.get(programme=copenhagen, number=1)  # ØKF
    with pytest.raises(PermissionDenied):
        _save(reporter, gang_members, city(copenhagen), "10")


@pytest.mark.django_db
def test_co_responsible_administration_may_enter(reporter, copenhagen):
    shared = Indicator.objects.get(programme=copenhagen, number=6)  # SOF lead, BIF and BUF share it
    assert _save(reporter, shared, city(copenhagen), "0.4").status == ValueStatus.DRAFT


@pytest.mark.django_db
def test_only_coordinators_approve_and_only_submitted_values(reporter, coordinator, copenhagen, ind5):
    v = _save(reporter, ind5, city(copenhagen), "3")
    with pytest.raises(ValidationError):
        services.indicator_value_approve(user=coordinator, value=v)  # still a draft
    services.indicator_value_submit(user=reporter, value=v)
    with pytest.raises(PermissionDenied):
        services.indicator_value_approve(user=reporter, value=v)
    returned = services.indicator_value_return(user=coordinator, value=v)
    assert returned.status == ValueStatus.DRAFT


@pytest.mark.parametrize("expr, values, expected", [
    ("I9 / I14 * 1000", {9: Decimal(50), 14: Decimal(20000)}, Decimal("2.5")),
    ("(I1 + I2) / 2", {1: Decimal(3), 2: Decimal(5)}, Decimal(4)),
    ("-I1 + 10", {1: Decimal(3)}, Decimal(7)),
    ("I1 / I2", {1: Decimal(3), 2: Decimal(0)}, None),
    ("I1 / I2", {1: Decimal(3)}, None),
])
def test_formula_evaluates(expr, values, expected):
    assert formula.evaluate(expr, values) == expected


@pytest.mark.parametrize("expr", ["__import__('os')", "I1.real", "open('x')", "I1 ** 2", "1 + 2", "I1 +", "x1"])
def test_formula_rejects_anything_but_arithmetic(expr):
    with pytest.raises(formula.FormulaError):
        formula.parse(expr)


@pytest.mark.django_db
def test_formula_indicator_recomputes_when_definition_or_inputs_change(reporter, coordinator, copenhagen, ind5):
    area = city(copenhagen)
    population = Indicator.objects.create(programme=copenhagen, focus_area=ind5.focus_area, number=50,
                                          text="Antal elever", responsible=ind5.responsible, direction="none")
    rate = Indicator.objects.create(programme=copenhagen, focus_area=ind5.focus_area, number=51,
                                    text="Fravær pr. 1.000 elever", responsible=ind5.responsible, direction="falling")
    IndicatorValueFactory(indicator=ind5, area=area, value=Decimal("30"))
    IndicatorValueFactory(indicator=population, area=area, value=Decimal("6000"))
    services.indicator_set_formula(indicator=rate, formula="I5 / I50 * 1000")
    assert IndicatorValue.objects.get(indicator=rate).value == Decimal("5.0000")
    services.indicator_set_formula(indicator=rate, formula="I5 / I50 * 100")  # a definition change recomputes
    assert IndicatorValue.objects.get(indicator=rate).value == Decimal("0.5000")
    # an approved revision of an input recomputes the dependent indicator
    v = _save(reporter, ind5, area, "60", year=2010)
    services.indicator_value_submit(user=reporter, value=v)
    services.indicator_value_approve(user=coordinator, value=v)
    assert IndicatorValue.objects.get(indicator=rate).value == Decimal("1.0000")
    with pytest.raises(PermissionDenied):  # computed indicators are not typed in
        reporter.administration = rate.responsible
        _save(reporter, rate, area, "1")


@pytest.mark.django_db
def test_formula_must_name_known_indicators(copenhagen, ind5):
    with pytest.raises(ValidationError) as err:
        services.indicator_set_formula(indicator=ind5, formula="I99 * 2")
    assert "I99" in str(err.value)
    with pytest.raises(ValidationError):
        services.indicator_set_formula(indicator=ind5, formula="I5 * 2")


@pytest.mark.django_db
def test_admin_formula_change_recomputes(client, coordinator, copenhagen, ind5):
    from django.urls import reverse

    coordinator.is_superuser = True
    coordinator.save()
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen), value=Decimal("30"))
    ind13 = Indicator.objects.get(programme=copenhagen, number=13)
    client.force_login(coordinator)
    url = reverse("admin:indicators_indicator_change", args=[ind13.pk])
    data = {"programme": copenhagen.pk, "focus_area": ind13.focus_area_id, "number": 13, "text": ind13.text,
            "responsible": ind13.responsible_id, "direction": ind13.direction, "unit": ind13.unit,
            "formula": "I5 * 2", "target_value": "", "target_year": ""}
    assert client.post(url, data).status_code == 302
    assert IndicatorValue.objects.get(indicator=ind13).value == Decimal("60")


@pytest.mark.django_db
def test_every_value_write_leaves_an_audit_row(reporter, coordinator, copenhagen, ind5):
    from auditlog.models import LogEntry

    v = _save(reporter, ind5, city(copenhagen), "7.5")
    services.indicator_value_submit(user=reporter, value=v)
    services.indicator_value_approve(user=coordinator, value=v)
    entries = LogEntry.objects.get_for_object(v).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.UPDATE]
    assert "approved" in str(entries.last().changes)
