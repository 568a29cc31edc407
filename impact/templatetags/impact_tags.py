"""Figures in words a person reads: percentages, rounded hours, "not enough data yet" instead of None."""
from django import template
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def percent(value):
    if value is None:
        return "not enough data yet"
    return f"{float(value) * 100:.0f}%"


@register.filter
def number(value):
    if value is None:
        return "—"
    value = float(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


@register.filter
def rating(value):
    return "no ratings yet" if value is None else f"{float(value):.1f} of 5"



@register.simple_tag
def reach_table(rows, caption, group):
    """A reach table (students, sessions, hours, and schools where the rows have them) built in one pass:
    the markup the template fragment gave, every label escaped, without a filter call per cell."""
    schools = bool(rows) and rows[0].get("schools_served") is not None
    head = "".join(f'<th scope="col">{name}</th>' for name in ("Students reached", "Sessions held", "Mentor hours",
                                                              *(("Schools",) if schools else ())))
    body = []
    for row in rows:
        cells = "".join(f"<td>{number(row[key])}</td>" for key in ("students", "sessions", "hours"))
        if row.get("schools_served") is not None:
            cells += f"<td>{number(row['schools_served'])}</td>"
        body.append(f'<tr><th scope="row">{escape(row["label"])}</th>{cells}</tr>\n  ')
    if not body:
        body.append('<tr><td colspan="4">Nothing recorded in this range yet.</td></tr>')
    return mark_safe(  # noqa: S308 - the caption, group and labels are escaped; the rest are numbers
        f'<div class="table-wrap"><table>\n  <caption>{escape(caption)}</caption>\n  <thead><tr>'
        f'<th scope="col">{escape(group)}</th>{head}</tr></thead>\n  <tbody>{"".join(body)}</tbody>\n</table></div>\n')
