"""The formula on a hand-computed example, the category edges, rounding and the frozen parameters."""
from decimal import Decimal

import pytest

from tryghedsindeks import method as m
from tryghedsindeks.method import METHOD_V1, category_for, score_area, validate_parameters

from .factories import _MIGRATION

EXAMPLE = {"respondents": 200, "victimised_pct": "12.00", "perceived_crime_score": "40.00",
           "safe_day_pct": "95.00", "safe_evening_pct": "70.00", "police_reports": 1500, "population": 10000}


def test_hand_computed_example():
    # By hand: police rate 1500*1000/10000 = 150.00 per 1,000.
    # victimisation 100*(30-12)/30 = 60.00; perceived crime 100*(100-40)/100 = 60.00;
    # daytime 100*(70-95)/(70-100) = 83.333.. -> 83.33; evening 100*(40-70)/(40-100) = 50.00;
    # police 100*(300-150)/300 = 50.00.
    # score = .25*60 + .20*60 + .10*83.33 + .20*50 + .25*50 = 15 + 12 + 8.333 + 10 + 12.5 = 57.833 -> 57.83
    out = score_area(EXAMPLE, METHOD_V1)
    assert out["police_rate"] == Decimal("150.00")
    assert out["components"] == {"victimisation": Decimal("60.00"), "perceived_crime": Decimal("60.00"),
                                 "safe_day": Decimal("83.33"), "safe_evening": Decimal("50.00"),
                                 "police": Decimal("50.00")}
    assert out["score"] == Decimal("57.83")
    assert out["category"] == "intensiveret"
    assert out["uncertain"] is False and out["uncertainty_reasons"] == []
    assert all(isinstance(v, Decimal) for v in [out["score"], out["police_rate"], *out["components"].values()])


@pytest.mark.parametrize(("score", "category"), [
    ("0", "markant"), ("54.99", "markant"), ("55.00", "intensiveret"), ("64.99", "intensiveret"),
    ("65.00", "ordinaer"), ("74.99", "ordinaer"), ("75.00", "reduceret"), ("84.99", "reduceret"),
    ("85.00", "minimal"), ("100.00", "minimal"),
])
def test_category_thresholds_at_their_edges(score, category):
    assert category_for(Decimal(score), METHOD_V1) == category


def test_component_scores_are_clamped_to_0_100():
    worst = {**EXAMPLE, "victimised_pct": "45.00", "safe_evening_pct": "10.00", "police_reports": 9000}
    out = score_area(worst, METHOD_V1)
    assert out["components"]["victimisation"] == Decimal("0.00")
    assert out["components"]["safe_evening"] == Decimal("0.00")
    assert out["components"]["police"] == Decimal("0.00")
    best = {**EXAMPLE, "victimised_pct": "0", "perceived_crime_score": "0", "safe_day_pct": "100",
            "safe_evening_pct": "100", "police_reports": 0}
    assert score_area(best, METHOD_V1)["score"] == Decimal("100.00")


def test_rounding_is_half_up_on_the_rate():
    assert m.police_rate(1, 3, METHOD_V1) == Decimal("333.33")
    assert m.police_rate(2, 3, METHOD_V1) == Decimal("666.67")
    assert m.police_rate(1, 8, METHOD_V1) == Decimal("125.00")
    assert m.police_rate(1, 80000, METHOD_V1) == Decimal("0.01")  # 0.0125 -> 0.01
    assert m.police_rate(1, 40000, METHOD_V1) == Decimal("0.03")  # 0.025 -> 0.03 (half up, not banker's)


@pytest.mark.parametrize(("respondents", "population", "reasons"), [
    (29, 10000, ["few_respondents"]), (30, 10000, []), (200, 999, ["small_population"]),
    (5, 500, ["few_respondents", "small_population"]),
])
def test_low_sample_flags(respondents, population, reasons):
    out = score_area({**EXAMPLE, "respondents": respondents, "population": population}, METHOD_V1)
    assert out["uncertainty_reasons"] == reasons
    assert out["uncertain"] is bool(reasons)


def test_parameters_are_validated():
    assert validate_parameters(METHOD_V1) == []
    bad = {**METHOD_V1, "weights": {**METHOD_V1["weights"], "police": "0.30"}}
    assert "weights must sum to 1" in validate_parameters(bad)
    bad = {**METHOD_V1, "thresholds": [["minimal", "85"], ["reduceret", "90"], ["ordinaer", "65"],
                                       ["intensiveret", "55"]]}
    assert "thresholds must strictly descend" in validate_parameters(bad)


def test_migration_freezes_exactly_the_documented_parameters():
    assert _MIGRATION.PARAMETERS == METHOD_V1


def test_fingerprint_is_canonical_and_sensitive():
    a = m.fingerprint([EXAMPLE], METHOD_V1)
    assert a == m.fingerprint([dict(reversed(list(EXAMPLE.items())))], METHOD_V1)
    assert a != m.fingerprint([{**EXAMPLE, "respondents": 201}], METHOD_V1)
    assert len(a) == 64
