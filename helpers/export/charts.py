"""Charts and tables as plain HTML and inline SVG: no plotting library, no script, no web font.

Chinese labels render with the system's CJK font (the CI image installs WenQuanYi Micro Hei or
Noto CJK), and colours come from JupyterLab's CSS variables, so the dark theme works too. Every
text that comes from a file is escaped: a cell like `=HYPERLINK(…)` shows as the text it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

# Single quotes inside: the value goes into style="…" attributes.
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif"
BAR = "var(--jp-brand-color1, #1976d2)"
ALERT = "var(--jp-error-color1, #d32f2f)"
TEXT = "var(--jp-ui-font-color1, #212121)"
MUTED = "var(--jp-ui-font-color2, #616161)"
GRID = "var(--jp-border-color2, #e0e0e0)"
CELL = f"padding:2px 10px;border-bottom:1px solid {GRID}"
WIDTH = 640
ROW = 24
FONT_SIZE = 13


def _text_width(text: str) -> float:
    """Rough width in px: a CJK character is about one em, Latin about 0.6 em."""
    return sum(FONT_SIZE if ord(c) > 0x2E80 else FONT_SIZE * 0.6 for c in text)


def _svg_open(title: str, height: float, font_size: int) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'style="font-family:{FONT};font-size:{font_size}px">')


def _figure(svg: str, title: str, css_class: str) -> str:
    return (f'<figure class="dr-chart {css_class}" style="margin:8px 0;max-width:{WIDTH}px">'
            f'<figcaption style="font-family:{FONT};font-size:14px;font-weight:bold;color:{TEXT};'
            f'margin-bottom:4px">{escape(title)}</figcaption>{svg}</figure>')


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str,
              value_text: Callable[[float], str] = lambda v: f"{v:,.0f}", css_class: str = "") -> str:
    """Horizontal bars, one per label, the value written at the end of each bar."""
    if not labels:
        return ""
    label_width = min(max(_text_width(str(label)) for label in labels) + 12, 240)
    value_width = max(_text_width(value_text(v)) for v in values) + 12
    bar_space = WIDTH - label_width - value_width
    top = max((v for v in values if v == v), default=0) or 1  # v == v skips NaN
    height = ROW * len(labels) + 8
    parts = [_svg_open(title, height, FONT_SIZE)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * ROW
        length = 0 if value != value else max(bar_space * value / top, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" style="fill:{TEXT}">'
            f'{escape(str(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{ROW - 7}" rx="2" '
            f'style="fill:{BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" style="fill:{MUTED}">'
            f'{escape(value_text(value))}</text>')
    parts.append("</svg>")
    return _figure("".join(parts), title, css_class)


def column_chart(labels: Sequence[str], values: Sequence[float], *, title: str,
                 highlight: Sequence[float] | None = None, legend: tuple[str, str] | None = None,
                 css_class: str = "") -> str:
    """Vertical columns (e.g. per hour of the day); `highlight` draws a part of each in red."""
    if not labels:
        return ""
    plot_height, bottom, left = 160, 22, 8
    legend_height = 22 if legend else 0
    step = (WIDTH - left * 2) / len(labels)
    top = max(values) or 1
    height = plot_height + bottom + legend_height
    parts = [_svg_open(title, height, 11),
             f'<line x1="{left}" y1="{plot_height}" x2="{WIDTH - left}" y2="{plot_height}" '
             f'style="stroke:{GRID}"/>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step
        h = plot_height * value / top
        parts.append(f'<rect x="{x + 2:.1f}" y="{plot_height - h:.1f}" width="{step - 4:.1f}" '
                     f'height="{h:.1f}" style="fill:{BAR}">'
                     f'<title>{escape(str(label))}：{value:,.0f}</title></rect>')
        if highlight is not None and highlight[i]:
            hh = plot_height * highlight[i] / top
            parts.append(f'<rect x="{x + 2:.1f}" y="{plot_height - hh:.1f}" width="{step - 4:.1f}" '
                         f'height="{hh:.1f}" style="fill:{ALERT}"/>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{plot_height + 15}" text-anchor="middle" '
                     f'style="fill:{MUTED}">{escape(str(label))}</text>')
    if legend:
        y = plot_height + bottom + 14
        for x, colour, text in ((left, BAR, legend[0]), (left + 150, ALERT, legend[1])):
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" style="fill:{colour}"/>'
                         f'<text x="{x + 16}" y="{y}" style="fill:{TEXT};font-size:12px">'
                         f'{escape(text)}</text>')
    parts.append("</svg>")
    return _figure("".join(parts), title, css_class)


@dataclass(frozen=True)
class Col:
    """One column of a shown table: the frame's column, its Chinese header, how to write a value."""

    key: str
    header: str
    fmt: Callable[[object], str] = str


def table(frame: pd.DataFrame, columns: Sequence[Col], *, index_header: str, css_class: str = "",
          limit: int | None = None, empty: str = "") -> str:
    """An HTML table of `frame` (its index first), every cell escaped."""
    if frame.empty:
        return f'<p class="dr-empty" style="color:{MUTED}">{escape(empty)}</p>'
    shown = frame if limit is None else frame.head(limit)
    head = "".join(f'<th style="{CELL};text-align:right">{escape(c.header)}</th>' for c in columns)
    rows = []
    for index, record in zip(shown.index, shown.itertuples(index=False), strict=True):
        values = record._asdict()
        cells = "".join(f'<td style="{CELL};text-align:right">{escape(c.fmt(values[c.key]))}</td>'
                        for c in columns)
        rows.append(f'<tr><th style="{CELL};text-align:left">{escape(str(index))}</th>{cells}</tr>')
    return (f'<table class="dr-table {css_class}" style="border-collapse:collapse;font-family:{FONT};'
            f'font-size:13px;color:{TEXT};margin:6px 0"><thead><tr>'
            f'<th style="{CELL};text-align:left">{escape(index_header)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
