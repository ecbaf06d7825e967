"""Small SVG charts for the PDF, drawn here so a report needs no browser to render (see docs/crimestats.md).

WeasyPrint renders inline SVG; the page uses plotly for the same figures.
"""
from xml.sax.saxutils import escape

CURRENT = "#1f5aa6"
PREVIOUS = "#9bb7d4"
HIGH = "#c0392b"


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


def grid_map(cells: list[dict], *, title: str, threshold: int) -> str:
    """The 1×1 km grid: one square per cell with its count, red when above ``threshold``."""
    if not cells:
        return ""
    xs = [c["x"] for c in cells]
    ys = [c["y"] for c in cells]
    x0, y1 = min(xs), max(ys)
    size = 34
    width = (max(xs) - x0 + 1) * size
    height = (y1 - min(ys) + 1) * size
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">']
    for c in cells:
        px, py = (c["x"] - x0) * size, (y1 - c["y"]) * size
        colour = HIGH if c["above"] else "#333"
        fill = "#f6d5d1" if c["above"] else "#eef2f7"
        text = "·" if c["count"] is None else str(c["count"])
        parts.append(f'<rect x="{px}" y="{py}" width="{size - 1}" height="{size - 1}" fill="{fill}" stroke="#bbb" '
                     f'stroke-width="0.5"/><text x="{px + size / 2}" y="{py + size / 2 + 3}" font-size="8" '
                     f'text-anchor="middle" fill="{colour}">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
