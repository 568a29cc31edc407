"""The volunteer's sessions: invitations to answer, upcoming and past sessions, in the volunteer's own time."""
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from core.roles import role_required
from mentors import services

from . import services as lifecycle
from .messages import local_time
from .models import Match

# --- my sessions --------------------------------------------------------------------

SESSIONS_PER_PAGE = 20  # rows per list on "my sessions"


@role_required("mentor")
def my_sessions(request):
    """Invitations, upcoming and past sessions: each list a page of at most SESSIONS_PER_PAGE rows
    (`?invitations=`, `?upcoming=`, `?past=` pick the page), times in the volunteer's own timezone."""
    mentor = request.user.mentor
    now = timezone.now()
    matches = (Match.objects.filter(mentor=mentor).select_related("session__request__school")
               .only(*SESSION_COLUMNS))
    S = Match.Status
    lists = {
        "invitations": matches.filter(status__in=[S.APPROVED, S.INVITED], session__ends_at__gt=now)
        .order_by("session__starts_at", "pk"),
        "upcoming": matches.filter(status=S.CONFIRMED, session__ends_at__gt=now).order_by("session__starts_at", "pk"),
        "past": matches.filter(Q(status__in=[S.COMPLETED, S.NO_SHOW]) | Q(status=S.CONFIRMED,
                                                                          session__ends_at__lte=now))
        .order_by("-session__starts_at", "pk"),
    }
    tz = ZoneInfo(mentor.timezone)
    pages = {name: Window.of(rows, request.GET.get(name), SESSIONS_PER_PAGE) for name, rows in lists.items()}
    shown = [match for page in pages.values() for match in page.items]
    prefetch_related_objects([match.session for match in shown], "intervals")  # one query for the three lists
    for match in shown:
        _format_session_facts(match, tz)
    return render(request, "mentors/my_sessions.html", {
        "mentor": mentor, **{name: page.items for name, page in pages.items()},
        **{f"{name}_page": page for name, page in pages.items()},
        "profile_complete": services.profile_is_complete(mentor),
    })


@dataclass
class Window:
    """One page of a list, read as `size + 1` rows rather than counted: enough to link on."""

    items: list
    number: int
    has_next: bool

    @classmethod
    def of(cls, rows, number, size):
        number = int(number) if str(number).isdigit() and int(number) > 0 else 1
        items = list(rows[(number - 1) * size:number * size + 1])
        return cls(items=items[:size], number=number, has_next=len(items) > size)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


SESSION_COLUMNS = (
    "pk", "status", "respond_by", "mentor_hours", "session__starts_at", "session__request__topic",
    "session__request__format",
    "session__request__meeting_link", "session__request__grade_band", "session__request__student_count",
    "session__request__kind", "session__request__school__name", "session__request__school__address",
)


def _span(start, end):
    """'Tue Dec 1, 1:30 PM–2:30 PM EST' (strftime: Django's date filter costs ten times as much)."""
    return f"{start:%a %b} {start.day}, {start.hour % 12 or 12}:{start:%M %p}–{end.hour % 12 or 12}:{end:%M %p %Z}"


def _format_session_facts(match, tz):
    """What the page shows of a match, formatted once here rather than by template filters."""
    request = match.session.request
    match.when = [_span(i.starts_at.astimezone(tz), i.ends_at.astimezone(tz)) for i in match.session.intervals.all()]
    match.answer_by = local_time(match.respond_by, tz.key) if match.respond_by else ""
    match.link = request.meeting_link if request.format == "virtual" and match.status == "confirmed" else ""
    match.status_text = capfirst(match.get_status_display())
    match.kind_text = request.get_kind_display().lower()


@require_POST
@role_required("mentor")
def answer_invitation(request, match_id, answer):
    if answer not in ("accept", "decline"):
        raise Http404
    match = get_object_or_404(Match, pk=match_id, mentor=request.user.mentor)
    try:
        if answer == "accept":
            lifecycle.confirm_match(match_id=match.pk, actor=request.user, via="web")
            messages.success(request, "Thank you! You're confirmed; the teacher now has your contact details.")
        else:
            lifecycle.decline_match(match_id=match.pk, actor=request.user, via="web",
                                    reason=request.POST.get("reason", "")[:500])
            messages.success(request, "Declined. We'll ask another volunteer.")
    except lifecycle.MatchError as error:
        messages.error(request, str(error))
    return redirect("my-sessions")
