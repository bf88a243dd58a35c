"""Charts drawn on the server as inline SVG: no JavaScript, no library, nothing fetched.

Every chart scales to its container (``viewBox`` + ``width: 100%``), so one drawing serves a
phone and a desktop; each page prints the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

# one colour per score component, fixed so a breakdown reads the same on every page
PALETTE = ("#1a56c4", "#2e9d5b", "#d9822b", "#8e44ad", "#c0392b", "#16a2b8", "#7f8c8d", "#b7950b")


def _num(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">' + "".join(body) + "</svg>"
    )


def bars(
    rows: Sequence[tuple[str, float]],
    label: str,
    unit: str = "",
    classes: dict[str, str] | None = None,
    mean: float | None = None,
    width: int = 600,
) -> Markup:
    """Horizontal bars, one per row (label, value); optional class per label and a mean line."""
    classes = classes or {}
    row_h, left, right = 22, 150, 60
    height = max(1, len(rows)) * row_h + 24
    top = max((v for _, v in rows), default=0.0)
    if mean is not None:
        top = max(top, mean)
    span = width - left - right
    scale = span / top if top > 0 else 0.0
    body = []
    for i, (name, value) in enumerate(rows):
        y = 8 + i * row_h
        cls = classes.get(name, "")
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="lbl">'
            f"{escape(name[:22])}</text>"
        )
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{max(value * scale, 0.5):.1f}" '
            f'height="{row_h - 6}" class="bar {escape(cls)}"/>'
        )
        body.append(
            f'<text x="{left + value * scale + 4:.1f}" y="{y + 14}" class="val">'
            f"{_num(value)}{escape(unit)}</text>"
        )
    if mean is not None and scale:
        x = left + mean * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 14}" class="mean"/>')
        body.append(
            f'<text x="{x:.1f}" y="{height - 2}" text-anchor="middle" class="val">'
            f"mean {_num(mean)}{escape(unit)}</text>"
        )
    return _svg(width, height, label, body)


def columns(
    rows: Sequence[tuple[str, float]],
    label: str,
    unit: str = "",
    width: int = 600,
    height: int = 180,
) -> Markup:
    """Vertical columns (label, value) left to right, the value above each."""
    bottom, top_pad = 28, 16
    n = max(1, len(rows))
    slot = width / n
    peak = max((v for _, v in rows), default=0.0)
    scale = (height - bottom - top_pad) / peak if peak > 0 else 0.0
    body = [
        f'<line x1="0" x2="{width}" y1="{height - bottom}" y2="{height - bottom}" class="axis"/>'
    ]
    for i, (name, value) in enumerate(rows):
        h = value * scale
        x = i * slot + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(h, 0.5):.1f}" class="bar"/>'
        )
        body.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom - h - 4:.1f}" '
            f'text-anchor="middle" class="val">{_num(value)}{escape(unit)}</text>'
        )
        body.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" text-anchor="middle" '
            f'class="lbl">{escape(name)}</text>'
        )
    return _svg(width, height, label, body)


def stacked(
    rows: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    label: str,
    total: float = 100.0,
    width: int = 600,
) -> Markup:
    """One horizontal bar per row, split into named parts (a score's components)."""
    row_h, left, right = 22, 150, 50
    height = max(1, len(rows)) * row_h + 10
    span = width - left - right
    colour: dict[str, str] = {}
    body = []
    for i, (name, parts) in enumerate(rows):
        y = 6 + i * row_h
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="lbl">'
            f"{escape(name[:22])}</text>"
        )
        x = float(left)
        for part, value in parts:
            fill = colour.setdefault(part, PALETTE[len(colour) % len(PALETTE)])
            w = span * value / total if total else 0
            body.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 0):.1f}" '
                f'height="{row_h - 6}" fill="{fill}"><title>{escape(part)}: '
                f"{_num(value)}</title></rect>"
            )
            x += w
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 14}" class="val">'
            f"{_num(sum(v for _, v in parts))}</text>"
        )
    return _svg(width, height, label, body)


def legend(names: Sequence[tuple[str, str]]) -> Markup:
    """Colour keys for ``stacked`` (in the order the parts first appear)."""
    items = "".join(
        f'<span class="key"><i style="background:{PALETTE[i % len(PALETTE)]}"></i>'
        f"{escape(text)}</span>"
        for i, (_, text) in enumerate(names)
    )
    return Markup(f'<p class="legend">{items}</p>')


def band(
    history: Sequence[tuple[str, float]],
    forecast: Sequence[tuple[str, float, float, float]],
    rostered: Sequence[tuple[str, float]],
    label: str,
    width: int = 600,
    height: int = 200,
) -> Markup:
    """Past demand as a line, the forecast with its band, and the rota as a stepped line.
    Days are ISO strings, in order; the forecast and rota share the forecast's days."""
    days = [d for d, _ in history] + [d for d, *_ in forecast]
    if not days:
        return _svg(width, height, label, ['<text x="10" y="20" class="lbl">no data</text>'])
    index = {d: i for i, d in enumerate(days)}
    peak = max(
        [v for _, v in history] + [u for *_, u in forecast] + [v for _, v in rostered] + [1.0]
    )
    left, bottom, top_pad = 28, 22, 8
    xs = (width - left - 6) / max(1, len(days) - 1)
    ys = (height - bottom - top_pad) / peak

    def pt(day: str, value: float) -> str:
        return f"{left + index[day] * xs:.1f},{height - bottom - value * ys:.1f}"

    body = [
        f'<line x1="{left}" x2="{width}" y1="{height - bottom}" y2="{height - bottom}" '
        f'class="axis"/>',
        f'<text x="{left - 4}" y="{top_pad + 8}" text-anchor="end" class="lbl">{_num(peak)}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" class="lbl">0</text>',
    ]
    if forecast:
        upper = [pt(d, u) for d, _, _, u in forecast]
        lower = [pt(d, lo) for d, _, lo, _ in reversed(forecast)]
        body.append(f'<polygon points="{" ".join(upper + lower)}" class="band"/>')
        body.append(
            f'<polyline points="{" ".join(pt(d, p) for d, p, _, _ in forecast)}" class="line fc"/>'
        )
    if history:
        body.append(
            f'<polyline points="{" ".join(pt(d, v) for d, v in history)}" class="line past"/>'
        )
    if rostered:
        body.append(
            f'<polyline points="{" ".join(pt(d, v) for d, v in rostered)}" class="line rota"/>'
        )
    for i in (0, len(days) - 1):
        anchor = "start" if i == 0 else "end"
        body.append(
            f'<text x="{left + i * xs:.1f}" y="{height - 6}" text-anchor="{anchor}" '
            f'class="lbl">{escape(days[i])}</text>'
        )
    if forecast:
        x = left + index[forecast[0][0]] * xs
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" y2="{height - bottom}" class="mean"/>'
        )
    return _svg(width, height, label, body)
