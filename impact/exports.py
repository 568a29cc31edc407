"""CSV downloads, streamed row by row (StreamingHttpResponse): constant memory whatever the size."""
import csv
from zoneinfo import ZoneInfo

from django.http import StreamingHttpResponse

from scheduling.models import Match

from .reach import HOURS

REACH_COLUMNS = [("label", "Group"), ("students", "Students reached"), ("sessions", "Sessions held"),
                 ("hours", "Mentor hours")]


class _Echo:
    def write(self, value):
        return value


def stream(filename, columns, rows):
    """A CSV download of `rows` (dicts or objects with the columns' keys), written as it is read."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([title for _, title in columns])
        for row in rows:
            yield writer.writerow([_cell(row.get(key)) for key, _ in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if value is None:
        return ""
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


SESSION_COLUMNS = [("date", "Date"), ("school", "School"), ("topic", "Topic"), ("grade_band", "Grade band"),
                   ("format", "Format"), ("company", "Company"), ("students", "Students reached"),
                   ("hours", "Mentor hours")]


def held_sessions(queryset, tz, *, with_company=True):
    """One dict per completed match, read from the database in chunks (never all at once)."""
    zone = ZoneInfo(tz)
    rows = (queryset.filter(status=Match.Status.COMPLETED).annotate(mentor_hours_or_hours=HOURS)
            .order_by("session__starts_at", "pk")
            .values_list("session__starts_at", "session__request__school__name", "session__request__topic",
                         "session__request__grade_band", "session__request__format", "mentor__company__name",
                         "students_reached", "mentor_hours_or_hours"))
    for starts_at, school, topic, band, fmt, company, students, hours in rows.iterator(chunk_size=2000):
        yield {"date": starts_at.astimezone(zone).date().isoformat(), "school": school, "topic": topic,
               "grade_band": band, "format": fmt, "company": company if with_company else "",
               "students": students, "hours": hours}
