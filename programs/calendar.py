"""The iCalendar file of a program's dates: its run (all-day, first to last day) and its sign-up deadline."""
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Program


def program_ics(program: Program, *, url, language):
    """Bytes of a VCALENDAR with stable UIDs (re-downloading updates the same events, never duplicates)."""
    cal = Calendar()
    cal.add("prodid", "-//Mentorbridge//STEM programs//EN")
    cal.add("version", "2.0")
    title = program.title_in(language)
    if program.starts_on:
        cal.add_component(_day_event(f"program-{program.pk}@mentorbridge", title, program.starts_on,
                                     program.ends_on or program.starts_on, url, program))
    if program.apply_by:
        label = "Inscripción hasta hoy" if language == "es" else "Apply by today"
        cal.add_component(_day_event(f"program-{program.pk}-apply-by@mentorbridge", f"{label}: {title}",
                                     program.apply_by, program.apply_by, url, program))
    return cal.to_ical()


def _day_event(uid, summary, first, last, url, program):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", program.updated_at or timezone.now())
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # all-day DTEND is exclusive
    event.add("url", url)
    description = program.weekly_schedule + ("\n\n" if program.weekly_schedule else "") + url
    event.add("description", description)
    event.add("location", "Virtual" if program.virtual else program.address or program.zip_code)
    return event
