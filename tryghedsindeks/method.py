"""The Tryghedsindeks formula: pure Decimal arithmetic on one area's inputs and a method's parameters.

Nothing here touches the database, so a published run's snapshot can be fed
back through ``score_area`` and must give the stored result bit for bit. The
method is written out for analysts in ``docs/tryghedsindeks.md``.

Per component i with value x, "best" anchor b and "worst" anchor w:

    s_i = 100 * (w - x) / (w - b), clamped to [0, 100], rounded half-up to 0.01

so 100 is the safest and 0 the least safe. The score is the weighted mean of
the component scores (weights sum to 1), rounded half-up to 0.01; the category
is the first threshold (from ``minimal`` down) the score reaches.
"""
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext

COMPONENTS = ("victimisation", "perceived_crime", "safe_day", "safe_evening", "police")
# The input each component reads.
COMPONENT_INPUT = {
    "victimisation": "victimised_pct",
    "perceived_crime": "perceived_crime_score",
    "safe_day": "safe_day_pct",
    "safe_evening": "safe_evening_pct",
    "police": "police_rate",
}

# Version 1.0 — frozen: it is copied into migration 0002 and results are published with it.
METHOD_V1 = {
    "weights": {"victimisation": "0.25", "perceived_crime": "0.20", "safe_day": "0.10",
                "safe_evening": "0.20", "police": "0.25"},
    "anchors": {  # [best, worst]
        "victimisation": ["0", "30"],
        "perceived_crime": ["0", "100"],
        "safe_day": ["100", "70"],
        "safe_evening": ["100", "40"],
        "police": ["0", "300"],
    },
    # Lower bounds of the score, inclusive; below the last one is "markant".
    "thresholds": [["minimal", "85"], ["reduceret", "75"], ["ordinaer", "65"], ["intensiveret", "55"]],
    "min_respondents": 30,
    "min_population": 1000,
    "quantum": "0.01",
}

PRECISION = 28


def _q(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def police_rate(reports: int, population: int, params: dict) -> Decimal:
    """Police reports per 1,000 residents, rounded half-up to the method's quantum."""
    with localcontext(prec=PRECISION):
        return _q(Decimal(reports) * 1000 / Decimal(population), Decimal(params["quantum"]))


def component_score(value: Decimal, best: Decimal, worst: Decimal, quantum: Decimal) -> Decimal:
    """Map a value onto 0–100 between its anchors (100 at ``best``), clamped and rounded."""
    with localcontext(prec=PRECISION):
        raw = Decimal(100) * (worst - value) / (worst - best)
        raw = min(max(raw, Decimal(0)), Decimal(100))
        return _q(raw, quantum)


def category_for(score: Decimal, params: dict) -> str:
    """The category of need a score falls in (each threshold is the inclusive lower bound)."""
    for code, bound in params["thresholds"]:
        if score >= Decimal(bound):
            return code
    return "markant"


def score_area(inputs: dict, params: dict) -> dict:
    """Score one area. ``inputs`` holds the input fields as strings/ints (a snapshot entry).

    Returns police_rate, one score per component, score, category, uncertain
    and uncertainty_reasons — all Decimals as Decimal, nothing float.
    """
    quantum = Decimal(params["quantum"])
    values = {
        "victimised_pct": Decimal(inputs["victimised_pct"]),
        "perceived_crime_score": Decimal(inputs["perceived_crime_score"]),
        "safe_day_pct": Decimal(inputs["safe_day_pct"]),
        "safe_evening_pct": Decimal(inputs["safe_evening_pct"]),
        "police_rate": police_rate(int(inputs["police_reports"]), int(inputs["population"]), params),
    }
    out: dict = {"police_rate": values["police_rate"], "components": {}}
    with localcontext(prec=PRECISION):
        total = Decimal(0)
        for name in COMPONENTS:
            best, worst = (Decimal(a) for a in params["anchors"][name])
            s = component_score(values[COMPONENT_INPUT[name]], best, worst, quantum)
            out["components"][name] = s
            total += Decimal(params["weights"][name]) * s
        score = _q(total, quantum)
    reasons = []
    if int(inputs["respondents"]) < int(params["min_respondents"]):
        reasons.append("few_respondents")
    if int(inputs["population"]) < int(params["min_population"]):
        reasons.append("small_population")
    out.update(score=score, category=category_for(score, params), uncertain=bool(reasons),
               uncertainty_reasons=reasons)
    return out


def validate_parameters(params: dict) -> list[str]:
    """Problems with a parameter set (weights must sum to 1, anchors differ, thresholds descend)."""
    errors = []
    weights = params.get("weights", {})
    if set(weights) != set(COMPONENTS):
        errors.append("weights must name exactly the five components")
    elif sum(Decimal(w) for w in weights.values()) != Decimal(1):
        errors.append("weights must sum to 1")
    for name in COMPONENTS:
        best, worst = params.get("anchors", {}).get(name, ["0", "0"])
        if Decimal(best) == Decimal(worst):
            errors.append(f"anchors of {name} must differ")
    bounds = [Decimal(b) for _, b in params.get("thresholds", [])]
    if [c for c, _ in params.get("thresholds", [])] != ["minimal", "reduceret", "ordinaer", "intensiveret"]:
        errors.append("thresholds must be given for minimal, reduceret, ordinaer, intensiveret in that order")
    if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
        errors.append("thresholds must strictly descend")
    return errors


def fingerprint(snapshot: list[dict], params: dict) -> str:
    """SHA-256 of the canonical JSON of the inputs snapshot and the parameters."""
    canonical = json.dumps({"inputs": snapshot, "parameters": params}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
