"""Server-rendered SVG charts (no JavaScript). Each is decorative beside the table holding its numbers:
the SVG carries a title for screen readers and the page puts the same figures in a table next to it."""
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

WIDTH = 320
BAR = 22
GAP = 8
LABEL = 120


def _svg(height, title, body):
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"{body}</svg>")


def horizontal_bars(title, rows, *, value="students", limit=12):
    """One bar per row (label, value), longest first as given; at most `limit` rows."""
    rows = list(rows)[:limit]
    top = max((float(r[value] or 0) for r in rows), default=0) or 1
    parts = []
    for i, row in enumerate(rows):
        y = i * (BAR + GAP)
        length = (WIDTH - LABEL - 50) * float(row[value] or 0) / top
        parts.append(format_html(
            '<text x="0" y="{}" class="chart-label">{}</text><rect x="{}" y="{}" width="{}" height="{}" '
            'class="chart-bar"/><text x="{}" y="{}" class="chart-value">{}</text>',
            _f(y + BAR * 0.7), _short(row["label"]), LABEL, y, _f(length), BAR, _f(LABEL + length + 4),
            _f(y + BAR * 0.7), _number(row[value])))
    return _svg(max(len(rows), 1) * (BAR + GAP), title, "".join(parts))


def columns(title, rows, *, value="students"):
    """One column per row (a month), left to right."""
    rows = list(rows)
    height = 160
    top = max((float(r[value] or 0) for r in rows), default=0) or 1
    step = WIDTH / max(len(rows), 1)
    parts = []
    for i, row in enumerate(rows):
        h = (height - 30) * float(row[value] or 0) / top
        x = i * step
        parts.append(format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"/>'
            '<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>',
            _f(x + step * 0.15), _f(height - 16 - h), _f(step * 0.7), _f(h), _f(x + step / 2), height - 2,
            str(row["label"])[:3]))
    return _svg(height, title, "".join(parts))


def progress_bars(title, rows):
    """Reached against target, one bar per goal, the target drawn as a full-width outline."""
    parts = []
    for i, row in enumerate(rows):
        y = i * (BAR + GAP + 14)
        share = min(row["share"] or 0, 1)
        parts.append(format_html(
            '<text x="0" y="{}" class="chart-label">{} ({}%)</text>'
            '<rect x="0" y="{}" width="{}" height="{}" class="chart-track"/>'
            '<rect x="0" y="{}" width="{}" height="{}" class="chart-bar"/>',
            y + 11, row["label"], f"{(row['share'] or 0) * 100:.0f}", y + 14, WIDTH, BAR, y + 14,
            _f(WIDTH * share), BAR))
    return _svg(max(len(rows), 1) * (BAR + GAP + 14), title, "".join(parts))


def _f(number):
    return f"{number:.1f}"


def _short(text, size=18):
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def _number(value):
    number = float(value or 0)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
