"""Horizontal bar charts as inline SVG, drawn in Python (no chart library, no script).

Amounts are shown in 万元 (10,000 yuan), two decimals, rounded half up; the unit is printed on
every chart. Bars printed blank in the source are drawn as an empty row marked 空白/blank,
never as a zero bar.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from yusuan.catalogue.figures import Bar, Chart

WAN = Decimal(10000)
CENT = Decimal("0.01")

WIDTH = 760
LABEL_W = 270  # left column: Chinese label above, English label below
VALUE_W = 110  # right of the longest bar: the value
ROW_H = 38
BAR_H = 16
TOP = 30
BOTTOM = 22
ZH_CHARS = 17
EN_CHARS = 40


def wan(yuan: Decimal | None) -> str:
    """Yuan -> '1,182.04' (万元), or '' for None."""
    if yuan is None:
        return ""
    return format((yuan / WAN).quantize(CENT, rounding=ROUND_HALF_UP), ",.2f")


def share(part: Decimal | None, whole: Decimal | None) -> str:
    if part is None or not whole:
        return ""
    return format((part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), ".1f") + "%"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _bar(bar: Bar, y: int, scale: Decimal, index: int) -> list[str]:
    x0 = LABEL_W + 14 * bar.indent
    label_zh = _clip(bar.label_zh, ZH_CHARS - bar.indent)
    label_en = _clip(bar.label_en, EN_CHARS - 2 * bar.indent)
    value = wan(bar.yuan)
    tooltip = f"{bar.label_zh} {bar.label_en}: " + (f"{value} 万元" if value else "空白 blank")
    parts = [
        f'<g class="bar-row" data-key="{_attr(bar.key)}"><title>{escape(tooltip)}</title>',
        f'<text class="label-zh" x="{8 + 14 * bar.indent}" y="{y + 14}">{escape(label_zh)}</text>',
        f'<text class="label-en" lang="en" x="{8 + 14 * bar.indent}" y="{y + 30}">{escape(label_en)}</text>',
    ]
    if bar.yuan is None:
        parts.append(f'<text class="value blank" x="{x0 + 4}" y="{y + 22}">空白 <tspan lang="en">blank</tspan></text>')
    else:
        width = (abs(bar.yuan) * scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        width = max(width, Decimal("1")) if bar.yuan else Decimal(0)
        klass = "bar negative" if bar.yuan < 0 else f"bar c{index % 6}" + (" sub" if bar.indent else "")
        parts.append(
            f'<rect class="{klass}" x="{x0}" y="{y + (ROW_H - BAR_H) // 2 - 2}" '
            f'width="{width}" height="{BAR_H}" rx="2"/>'
        )
        parts.append(f'<text class="value" x="{x0 + float(width) + 6:.1f}" y="{y + 22}">{value}</text>')
    parts.append("</g>")
    return parts


def bar_chart(chart: Chart) -> str:
    """The chart as an ``<svg>`` element (a string of markup, already escaped)."""
    bars = chart.bars
    height = TOP + ROW_H * len(bars) + BOTTOM
    scale = _scale(bars, Decimal(WIDTH - LABEL_W - VALUE_W))
    title_id = f"chart-{chart.id}-title"
    out = [
        f'<svg class="chart chart-wide" id="chart-{chart.id}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
        f'<title id="{title_id}">{escape(chart.title_zh)} {escape(chart.title_en)}（单位：万元 unit: 10,000 yuan）</title>',
        f'<text class="unit" x="{WIDTH - 8}" y="16" text-anchor="end">单位：万元 <tspan lang="en">Unit: 10,000 yuan</tspan></text>',
        f'<line class="axis" x1="{LABEL_W}" y1="{TOP - 6}" x2="{LABEL_W}" y2="{height - BOTTOM + 4}"/>',
    ]
    for i, bar in enumerate(bars):
        out += _bar(bar, TOP + ROW_H * i, scale, i)
    out += _total_line(chart, WIDTH - 8, height)
    out.append("</svg>")
    return "\n".join(out)


# A phone-width variant: the wide chart scaled into a 390 px screen shrinks its labels to
# 7-9 px. This one is drawn at the width it is shown (360 user units for ~360 px), with each
# label on its own lines above its bar, so text stays at 13-14 px. CSS shows one or the other.
NARROW_W = 360
NARROW_ROW_H = 64
NARROW_ZH_CHARS = 24
NARROW_EN_CHARS = 44
NARROW_VALUE_W = 84


def _narrow_bar(bar: Bar, y: int, scale: Decimal, index: int) -> list[str]:
    indent = 12 * bar.indent
    value = wan(bar.yuan)
    tooltip = f"{bar.label_zh} {bar.label_en}: " + (f"{value} 万元" if value else "空白 blank")
    parts = [
        f'<g class="bar-row" data-key="{_attr(bar.key)}"><title>{escape(tooltip)}</title>',
        f'<text class="label-zh" x="{4 + indent}" y="{y + 15}">{escape(_clip(bar.label_zh, NARROW_ZH_CHARS))}</text>',
        f'<text class="label-en" lang="en" x="{4 + indent}" y="{y + 32}">{escape(_clip(bar.label_en, NARROW_EN_CHARS))}</text>',
    ]
    bar_y = y + 40
    if bar.yuan is None:
        parts.append(f'<text class="value blank" x="{4 + indent}" y="{bar_y + 13}">空白 <tspan lang="en">blank</tspan></text>')
    else:
        width = (abs(bar.yuan) * scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        width = max(width, Decimal("1")) if bar.yuan else Decimal(0)
        klass = "bar negative" if bar.yuan < 0 else f"bar c{index % 6}" + (" sub" if bar.indent else "")
        parts.append(f'<rect class="{klass}" x="{4 + indent}" y="{bar_y}" width="{width}" height="{BAR_H}" rx="2"/>')
        parts.append(f'<text class="value" x="{4 + indent + float(width) + 5:.1f}" y="{bar_y + 13}">{value}</text>')
    parts.append("</g>")
    return parts


def narrow_bar_chart(chart: Chart) -> str:
    """The chart for phone screens (labels above bars), as an ``<svg>`` string."""
    bars = chart.bars
    height = TOP + NARROW_ROW_H * len(bars) + BOTTOM
    scale = _scale(bars, Decimal(NARROW_W - 8 - NARROW_VALUE_W))
    title_id = f"chart-{chart.id}-narrow-title"
    out = [
        f'<svg class="chart chart-narrow" id="chart-{chart.id}-narrow" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {NARROW_W} {height}" width="{NARROW_W}" height="{height}">',
        f'<title id="{title_id}">{escape(chart.title_zh)} {escape(chart.title_en)}（单位：万元 unit: 10,000 yuan）</title>',
        f'<text class="unit" x="{NARROW_W - 4}" y="16" text-anchor="end">单位：万元 <tspan lang="en">10,000 yuan</tspan></text>',
    ]
    for i, bar in enumerate(bars):
        out += _narrow_bar(bar, TOP + NARROW_ROW_H * i, scale, i)
    out += _total_line(chart, NARROW_W - 4, height)
    out.append("</svg>")
    return "\n".join(out)


def _scale(bars: list, usable: Decimal) -> Decimal:
    """Pixels per yuan so that the longest bar fills ``usable`` pixels (0 when all are blank)."""
    biggest = max((abs(b.yuan) for b in bars if b.yuan is not None), default=Decimal(0))
    return usable / biggest if biggest else Decimal(0)


def _total_line(chart, x: int, height: int) -> list[str]:
    """The chart's total under its bars, right-aligned at ``x`` (nothing when it has none)."""
    if chart.total_yuan is None:
        return []
    return [
        f'<text class="total" x="{x}" y="{height - 6}" text-anchor="end">'
        f"{escape(chart.total_zh)} {wan(chart.total_yuan)} 万元 · "
        f'<tspan lang="en">{escape(chart.total_en)}</tspan></text>'
    ]
