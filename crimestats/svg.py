"""Small SVG charts for the PDF, drawn here so a report needs no browser to render (see docs/crimestats.md).

WeasyPrint renders inline SVG; the page uses plotly for the same figures.
"""
import math
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from .geo import KM_PER_DEG_LAT, KM_PER_DEG_LON

CURRENT = "#1f5aa6"
PREVIOUS = "#9bb7d4"


def bar_chart(rows: list[dict], *, title: str, current_label: str, previous_label: str, limit: int = 12) -> str:
    """Horizontal paired bars (current, previous) for the first ``limit`` rows; suppressed values are left out."""
    rows = rows[:limit]
    width, label_w, bar_h, gap = 640, 210, 9, 8
    ticks = 4
    height = 46 + len(rows) * (2 * bar_h + gap)
    top = max([r["current"] or 0 for r in rows] + [r["previous"] or 0 for r in rows] + [1])
    scale = (width - label_w - 60) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<rect x="{label_w}" y="6" width="10" height="10" fill="{CURRENT}"/>'
             f'<text x="{label_w + 14}" y="15" font-size="10">{escape(current_label)}</text>'
             f'<rect x="{label_w + 180}" y="6" width="10" height="10" fill="{PREVIOUS}"/>'
             f'<text x="{label_w + 194}" y="15" font-size="10">{escape(previous_label)}</text>']
    y = 30
    step = _nice_step(top / ticks)
    axis_y = 30 + len(rows) * (2 * bar_h + gap)
    v = 0
    while v <= top:
        x = label_w + v * scale
        parts.append(f'<line x1="{x:.1f}" y1="26" x2="{x:.1f}" y2="{axis_y - gap + 2}" stroke="#ddd" stroke-width="0.5"/>'
                     f'<text x="{x:.1f}" y="{axis_y + 4}" font-size="8" text-anchor="middle">{v:,}</text>'
                     .replace(",", "."))
        v += step
    for r in rows:
        label = r["label"] if len(r["label"]) <= 34 else r["label"][:33] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h + 3}" font-size="9" text-anchor="end">'
                     f'{escape(label)}</text>')
        for i, (key, colour) in enumerate((("current", CURRENT), ("previous", PREVIOUS))):
            v = r[key]
            if v is None:
                continue
            w = max(1.0, v * scale) if v else 0
            yy = y + i * bar_h
            # No value labels: the table beside the chart has the figures, and every <text> costs
            # WeasyPrint a font-shaping pass (see docs/benchmarks.md).
            parts.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h - 1}" fill="{colour}"/>')
        y += 2 * bar_h + gap
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(raw: float) -> int:
    """A round axis step (1, 2, 5 × 10^n) at least ``raw``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= raw:
                return step * m
        step *= 10


# Cells above the threshold: a saturated red that prints as red, with a black border and white bold
# figures so they still stand out printed in greyscale (the legend shows the same swatch).
ABOVE_FILL, ABOVE_BORDER = "#d7191c", "#000"
CELL_FILL, CELL_BORDER = "#dfe8f3", "#8a9bb0"
LAND_FILL, OUTLINE = "#f4f4f1", "#3a3a3a"
NAME = "#0b3d91"
MAX_MAP_WIDTH, CELL_PX = 680, 34


def grid_map(cells: list[dict], *, title: str, threshold: int, outlines: list[dict],
             suppressed_below: int | None = None) -> str:
    """The 1×1 km grid drawn over the district outlines, north up, with a legend.

    One square per cell with its count (``·`` when suppressed); cells above
    ``threshold`` carry the class ``above`` (as does the legend's swatch) and
    are solid red with a black border. ``outlines`` are the municipality's
    bydele from ``areas.selectors.area_outlines`` (lon/lat), projected into
    the grid's kilometres (``crimestats.geo``) and drawn with their names;
    without them the cells are drawn alone and the legend says so.
    """
    if not cells:
        return ""
    rings = [[(lon * KM_PER_DEG_LON, lat * KM_PER_DEG_LAT) for lon, lat in ring] for o in outlines for ring in o["rings"]]
    xs = [c["x"] for c in cells] + [c["x"] + 1 for c in cells] + [x for r in rings for x, _y in r]
    ys = [c["y"] for c in cells] + [c["y"] + 1 for c in cells] + [y for r in rings for _x, y in r]
    x0, x1, y0, y1 = math.floor(min(xs)), math.ceil(max(xs)), math.floor(min(ys)), math.ceil(max(ys))
    size = min(CELL_PX, MAX_MAP_WIDTH / (x1 - x0))

    def px(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * size, (y1 - y) * size

    width, map_h = (x1 - x0) * size, (y1 - y0) * size
    legend_h = 54
    height = map_h + legend_h
    font = max(6.0, min(8.0, size / 4))
    no_outlines = _("No district outlines are available for this municipality.")
    aria = title if outlines else f"{title}. {no_outlines}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.1f} {height:.1f}" role="img" aria-label="{escape(aria)}" class="grid-map" '
             'font-family="DejaVu Sans, sans-serif">']
    paths = []
    for o in outlines:
        d = " ".join("M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in (px(x * KM_PER_DEG_LON, y * KM_PER_DEG_LAT)
                                                                      for x, y in ring)) + " Z"
                     for ring in o["rings"])
        paths.append((o, d))
    for _o, d in paths:  # land under the cells
        parts.append(f'<path class="district-area" d="{d}" fill="{LAND_FILL}" fill-rule="evenodd" stroke="none"/>')
    for c in cells:
        x, y = px(c["x"], c["y"] + 1)
        text = "·" if c["count"] is None else str(c["count"])
        if c["above"]:
            parts.append(f'<g class="cell above"><rect x="{x:.1f}" y="{y:.1f}" width="{size - 1:.1f}" '
                         f'height="{size - 1:.1f}" fill="{ABOVE_FILL}" stroke="{ABOVE_BORDER}" stroke-width="1.5"/>'
                         f'<text x="{x + size / 2:.1f}" y="{y + size / 2 + 3:.1f}" font-size="{font:.1f}" '
                         f'font-weight="bold" text-anchor="middle" fill="#fff">{text}</text></g>')
        else:
            parts.append(f'<g class="cell"><rect x="{x:.1f}" y="{y:.1f}" width="{size - 1:.1f}" '
                         f'height="{size - 1:.1f}" fill="{CELL_FILL}" fill-opacity="0.8" stroke="{CELL_BORDER}" '
                         f'stroke-width="0.5"/><text x="{x + size / 2:.1f}" y="{y + size / 2 + 3:.1f}" '
                         f'font-size="{font:.1f}" text-anchor="middle" fill="#222">{text}</text></g>')
    for o, d in paths:  # boundaries over the cells, white-cased so they show on red cells too
        parts.append(f'<path d="{d}" fill="none" stroke="#fff" stroke-width="3" stroke-linejoin="round"/>'
                     f'<path class="district" d="{d}" fill="none" stroke="{OUTLINE}" stroke-width="1.4" '
                     f'stroke-linejoin="round"><title>{escape(o["name"])}</title></path>')
    for o in outlines:  # names last, with a white halo so they read over cells and lines
        x, y = px(o["label"][0] * KM_PER_DEG_LON, round(o["label"][1] * KM_PER_DEG_LAT))
        # on the line between two rows of cells, so a name never covers a cell's count
        for halo in (' stroke="#fff" stroke-width="3" stroke-linejoin="round"', ""):
            parts.append(f'<text class="district-name" x="{x:.1f}" y="{y + 3.5:.1f}" font-size="10" '
                         f'font-weight="bold" text-anchor="middle" fill="{NAME}"{halo}>{escape(o["name"])}</text>')
    parts.append(_grid_legend(y=map_h + 8, threshold=threshold, outlines=bool(outlines),
                              suppressed_below=suppressed_below))
    parts.append("</svg>")
    return "".join(parts)


def _grid_legend(*, y: float, threshold: int, outlines: bool, suppressed_below: int | None) -> str:
    """Swatches for the two kinds of cell and the district boundary (or a note that there is none)."""
    above = _("more than %(n)d (red, black border)") % {"n": threshold}
    below = _("%(n)d or fewer") % {"n": threshold}
    if suppressed_below:
        below += "; " + _("· = fewer than %(n)d, hidden") % {"n": suppressed_below}
    out = [f'<g class="legend"><g class="legend-item above"><rect x="0" y="{y:.1f}" width="14" height="14" '
           f'fill="{ABOVE_FILL}" stroke="{ABOVE_BORDER}" stroke-width="1.5"/><text x="20" y="{y + 11:.1f}" '
           f'font-size="9">{escape(above)}</text></g>'
           f'<g class="legend-item"><rect x="0" y="{y + 20:.1f}" width="14" height="14" fill="{CELL_FILL}" '
           f'stroke="{CELL_BORDER}" stroke-width="0.5"/><text x="20" y="{y + 31:.1f}" font-size="9">'
           f'{escape(below)}</text></g>']
    x = 260
    boundary, no_outlines = _("district (bydel) boundary and name"), _(
        "No district outlines are available for this municipality.")
    if outlines:
        out.append(f'<g class="legend-item district"><line x1="{x}" y1="{y + 7:.1f}" x2="{x + 24}" y2="{y + 7:.1f}" '
                   f'stroke="{OUTLINE}" stroke-width="1.4"/><text x="{x + 30}" y="{y + 11:.1f}" font-size="9">'
                   f'{escape(boundary)}</text></g>')
    else:
        out.append(f'<text class="no-outlines" x="{x}" y="{y + 11:.1f}" font-size="9" font-style="italic">'
                   f'{escape(no_outlines)}</text>')
    out.append("</g>")
    return "".join(out)
