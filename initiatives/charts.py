"""Programme charts: selector output -> pandas -> plotly figure (as JSON for the page)."""
import json

import pandas as pd
import plotly.express as px
from django.utils.translation import gettext as _


def budget_chart(rows: list[dict], *, year: int) -> dict:
    """Stacked bars of one year's budget per administration, coloured by focus area."""
    df = pd.DataFrame(rows, columns=["administration", "focus_area", "amount"])
    df["amount"] = df["amount"].astype(float)
    # Full focus-area titles do not fit a legend; the table beside the chart has them in full.
    df["focus_area"] = df["focus_area"].map(lambda t: t if len(t) <= 48 else t[:46].rstrip() + "…")
    label_amount = _("1,000 DKK")
    fig = px.bar(
        df, x="administration", y="amount", color="focus_area",
        labels={"administration": _("Administration"), "amount": label_amount, "focus_area": _("Focus area")},
        color_discrete_sequence=px.colors.qualitative.Safe,
    )
    fig.update_layout(barmode="stack", legend={"orientation": "v", "y": -0.2, "yanchor": "top", "x": 0}, margin={"t": 50, "l": 60, "r": 10},
                      height=560, separators=",.")
    return json.loads(fig.to_json())
