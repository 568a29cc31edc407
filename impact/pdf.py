"""Printable statements as PDF (fpdf2, pure Python): a company's contribution and a volunteer's hours.

The core PDF fonts know Latin-1 only; any other character is printed as "?" rather than failing.
"""
from zoneinfo import ZoneInfo

from fpdf import FPDF

from .templatetags.impact_tags import number


def _text(value):
    return str(value).encode("latin-1", "replace").decode("latin-1")


def _document(title, subtitle):
    pdf = FPDF(format="Letter")
    pdf.set_title(_text(title))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, _text(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    return pdf


def _figures(pdf, pairs):
    pdf.set_font("Helvetica", "", 11)
    with pdf.table(col_widths=(3, 1), text_align=("LEFT", "RIGHT"), first_row_as_headings=False) as table:
        for label, value in pairs:
            row = table.row()
            row.cell(_text(label))
            row.cell(_text(number(value)))
    pdf.ln(4)


def _table(pdf, caption, group, rows):
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, _text(caption), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=(3, 1, 1, 1), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
        head = table.row()
        for title in (group, "Students reached", "Sessions", "Hours"):
            head.cell(title)
        for item in rows:
            row = table.row()
            row.cell(_text(item["label"]))
            for key in ("students", "sessions", "hours"):
                row.cell(number(item[key]))
    pdf.ln(4)


def company_statement(company, scope, data):
    """The company lead's statement for their CSR report: totals, by month, by volunteer, by school."""
    pdf = _document(f"{company.name}: volunteering statement",
                    f"{company.alliance.name}, {scope.start:%B %-d, %Y} to {scope.end:%B %-d, %Y}. Figures are the "
                    "sessions teachers recorded as held; students reached are headcounts.")
    totals = data["totals"]
    _figures(pdf, [("Volunteers active", totals["mentors"]), ("Sessions", totals["sessions"]),
                   ("Volunteer hours", totals["hours"]), ("Students reached", totals["students"]),
                   ("Schools served", totals["schools"])])
    _table(pdf, "By month", "Month", data["month"])
    _table(pdf, "By volunteer", "Volunteer", data["volunteer"])
    _table(pdf, "Schools served", "School", data["school"])
    return bytes(pdf.output())


def hours_statement(mentor, data, printed_on):
    """A volunteer's hours statement for volunteer-time-off and matching-gift programmes."""
    pdf = _document(f"Volunteer hours: {mentor.display_name}",
                    f"{mentor.company.name}. Statement of {printed_on:%B %-d, %Y} from Mentorbridge, listing every "
                    "session a teacher recorded as held.")
    totals = data["totals"]
    _figures(pdf, [("Sessions", totals["sessions"]), ("Hours", totals["hours"]),
                   ("Students reached", totals["students"]), ("Schools", totals["schools"])])
    zone = ZoneInfo(mentor.timezone)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Sessions", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=(1.2, 3, 1, 1), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT")) as table:
        head = table.row()
        for title in ("Date", "Session", "Students", "Hours"):
            head.cell(title)
        for session in data["sessions"]:
            row = table.row()
            row.cell(f"{session['session__starts_at'].astimezone(zone):%Y-%m-%d}")
            row.cell(_text(f"{session['session__request__topic']}, {session['session__request__school__name']}"))
            row.cell(number(session["students_reached"]))
            row.cell(number(session["hours_given"]))
    return bytes(pdf.output())
