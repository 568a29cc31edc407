"""Reads the review queue needs that are more than a plain queryset."""
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from core.pagination import total_of
from core.words import count
from mentors.models import Mentor
from schools.models import Format, MentorRequest

from . import engine, matching, reasons
from .messages import local_time
from .models import Match, MatchingRun, Session


def ranked_candidates(session):
    """Every mentor who could take a seat in `session` now, best first, with the engine's reasons."""
    problem = matching.build_problem(
        alliance_id=session.alliance_id, window_start=session.starts_at, window_end=session.ends_at,
        session_ids=[session.pk],
    )
    if not problem.sessions:
        return []
    result = engine.solve(problem, with_candidates=True)
    ranked = sorted(result.candidates or [], key=lambda c: (-c.score, c.mentor))
    mentors = Mentor.objects.select_related("user", "company").in_bulk([matching.pk_of(c.mentor) for c in ranked])
    return [(mentors[matching.pk_of(c.mentor)], c.score, c.reasons) for c in ranked]


def candidate_words(session, mentors, *, unit):
    """{mentor pk: the reasons in words} for volunteers who could take a seat in `session`."""
    request = session.request
    prefetch_related_objects(mentors, "skills")
    asked = [skill.name.lower() for skill in request.skills.all()]
    load = recent_load({mentor.pk for mentor in mentors})
    school = request.school
    return {mentor.pk: reasons.reason_words(
        mentor_skills=[skill.name.lower() for skill in mentor.skills.all()], asked_skills=asked,
        mentor_at=(mentor.latitude, mentor.longitude), school_at=(school.latitude, school.longitude),
        in_person=request.format == Format.IN_PERSON, unit=unit, recent=load.get(mentor.pk, 0),
        cleared_through=mentor.cleared_through(), language=request.language, spoken=mentor.languages,
        continuity=False,
    ) for mentor in mentors}


def recent_load(mentor_ids, days=90):
    """Sessions each mentor held or completed in the last `days` days (what fairness weighs)."""
    since = timezone.now() - timedelta(days=days)
    rows = Match.objects.filter(
        mentor_id__in=mentor_ids, session__starts_at__gte=since,
        status__in=[*Match.BOOKED, Match.Status.COMPLETED],
    ).values("mentor_id").annotate(n=Count("pk"))
    return {row["mentor_id"]: row["n"] for row in rows}


REVIEW_COLUMNS = (
    "pk", "status", "score", "reasons", "mentor_id", "mentor__user__first_name", "mentor__user__last_name",
    "mentor__user__username", "mentor__company__name", "mentor__background_check_status",
    "mentor__background_check_expires", "session__starts_at", "session__request_id", "session__request__topic",
    "session__request__school__name", "session__request__school__timezone", "session__request__grade_band",
    "session__request__format", "session__request__student_count", "session__request__mentors_needed",
    "mentor__latitude", "mentor__longitude", "mentor__languages", "session__request__school__latitude",
    "session__request__school__longitude", "session__request__language", "session__ends_at", "mentor__bio",
)


def review_queue(alliance, *, school_id=None, date_from=None, date_to=None, status="proposed", page=1,
                 per_page=50):
    """One page (at most `per_page`) of the alliance's matches in session order, grouped by request.

    Returns (page, groups): each group is (request, rows), every value already formatted for the page
    (times in the school's timezone, scores to three places, the action links), so the template only
    places strings, whatever the size of the alliance.
    """
    matches = Match.objects.filter(session__alliance=alliance).order_by("session__starts_at", "session_id", "-score",
                                                                       "pk")
    if status:
        matches = matches.filter(status=status)
    if school_id:
        matches = matches.filter(session__request__school_id=school_id)
    if date_from:
        matches = matches.filter(session__starts_at__date__gte=date_from)
    if date_to:
        matches = matches.filter(session__starts_at__date__lte=date_to)
    shown, rows = _page_of_rows(matches, page, per_page)
    load = recent_load({row["mentor_id"] for row in rows})
    ratings = teacher_ratings({row["mentor_id"] for row in rows})
    skills = _skill_names(rows)
    links = {name: _link(f"scheduling:{name}") for name in ("approve", "reject", "candidates")}
    links["profile"] = _link("volunteer-profile")
    groups = {}
    for row in rows:
        request_id = row["session__request_id"]
        if request_id not in groups:
            groups[request_id] = (_request_facts(row), [])
        words = _words(row, load.get(row["mentor_id"], 0), skills, alliance.distance_unit)
        groups[request_id][1].append({**_review_row(row, load.get(row["mentor_id"], 0), links), "words": words,
                                      "ratings": ratings.get(row["mentor_id"], NOT_RATED)})
    return shown, list(groups.values())


NOT_RATED = {"words": "No teacher ratings yet", "comments": []}


def teacher_ratings(mentor_ids):
    """{mentor id: {"words", "comments"}}: teachers' ratings in words ("Rated 4.5 of 5 by teachers (6 ratings)")
    and their newest comments as (text, date), for coordinators' eyes only. Read through REVIEW_MENTOR_RATINGS,
    since the ratings live in impact, a layer above; mentors nobody rated are left out (NOT_RATED)."""
    if not mentor_ids:
        return {}
    summaries = import_string(settings.REVIEW_MENTOR_RATINGS)(mentor_ids)
    return {mentor_id: {"words": _rating_words(s), "comments": [(text, f"{timezone.localtime(at):%b %-d, %Y}")
                                                                for text, at in s["comments"]]}
            for mentor_id, s in summaries.items()}


def _rating_words(summary):
    if not summary["count"]:
        return NOT_RATED["words"]
    average = f"{summary['average']:.1f}".removesuffix(".0")
    return f"Rated {average} of 5 by teachers ({count(summary['count'], 'rating')})"


def _page_of_rows(matches, page, per_page):
    """(Page, its `.values(*REVIEW_COLUMNS)` rows), the total read in the rows' own query (`total_of`).
    A page number that is not a number or not there takes Paginator's own way (the nearest page)."""
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 0
    if number >= 1:
        rows = list(matches.values(*REVIEW_COLUMNS).annotate(_in_all=total_of(matches))[
            (number - 1) * per_page:number * per_page])
        if rows or number == 1:
            paginator = Paginator(matches, per_page)
            paginator.count = rows[0]["_in_all"] if rows else 0  # the cached property, known now
            for row in rows:
                del row["_in_all"]
            return paginator._get_page(rows, number, paginator), rows
    shown = Paginator(matches, per_page).get_page(page)  # counted without the joins of the rows
    rows = []
    if shown.paginator.count:
        rows = list(matches.values(*REVIEW_COLUMNS)[shown.start_index() - 1:shown.end_index()])
    return shown, rows


def _skill_names(rows):
    """({mentor_id: [skill names]}, {request_id: [skill names]}) for the rows of a page, in one query (the
    volunteers' skills and the requests' skills, told apart by a constant column)."""
    if not rows:
        return {}, {}
    mentors = (Mentor.skills.through.objects.filter(mentor_id__in={r["mentor_id"] for r in rows})
               .annotate(of=Value("mentor")).values_list("of", "mentor_id", "skill__name"))
    requests = (MentorRequest.skills.through.objects
                .filter(mentorrequest_id__in={r["session__request_id"] for r in rows})
                .annotate(of=Value("request")).values_list("of", "mentorrequest_id", "skill__name"))
    names = {"mentor": {}, "request": {}}
    for of, pk, name in mentors.union(requests, all=True):
        names[of].setdefault(pk, []).append(name.lower())
    return names["mentor"], names["request"]


def _words(row, recent, skills, unit):
    mentor_skills, request_skills = skills
    cleared = row["mentor__background_check_status"] == Mentor.BackgroundCheck.CLEARED
    return reasons.reason_words(
        mentor_skills=mentor_skills.get(row["mentor_id"], []),
        asked_skills=request_skills.get(row["session__request_id"], []),
        mentor_at=(row["mentor__latitude"], row["mentor__longitude"]),
        school_at=(row["session__request__school__latitude"], row["session__request__school__longitude"]),
        in_person=row["session__request__format"] == Format.IN_PERSON, unit=unit, recent=recent,
        cleared_through=row["mentor__background_check_expires"] if cleared else None,
        language=row["session__request__language"], spoken=row["mentor__languages"],
        continuity=bool((row["reasons"] or {}).get("continuity")),
    )


def _link(name):
    """A function pk -> the URL of `name` for that pk, reversing the route once."""
    pattern = reverse(name, args=[987654321])
    return lambda pk: pattern.replace("987654321", str(pk))


def _request_facts(row):
    return {
        "pk": str(row["session__request_id"]), "topic": row["session__request__topic"],
        "school": row["session__request__school__name"], "grade_band": row["session__request__grade_band"],
        "format": Format(row["session__request__format"]).label,
        "student_count": str(row["session__request__student_count"]),
        "mentors_needed": str(row["session__request__mentors_needed"]),
    }


def _review_row(row, load, links):
    pk = row["pk"]
    first, last = row["mentor__user__first_name"], row["mentor__user__last_name"]
    cleared = row["mentor__background_check_status"] == Mentor.BackgroundCheck.CLEARED
    expires = row["mentor__background_check_expires"]
    return {
        "pk": str(pk), "status": row["status"], "status_label": Match.Status(row["status"]).label,
        "proposed": row["status"] == Match.Status.PROPOSED,
        "mentor": f"{first} {last}".strip() or row["mentor__user__username"],
        "company": row["mentor__company__name"],
        "first_session": local_time(row["session__starts_at"], row["session__request__school__timezone"]),
        "score": f"{row['score']:.3f}",
        "reasons": [(part, f"{value:.3f}") for part, value in row["reasons"].items()],
        "recent_load": str(load),
        "cleared_through": f"{expires:%b %-d, %Y}" if cleared and expires else "not cleared",
        "approve_url": links["approve"](pk), "reject_url": links["reject"](pk),
        "candidates_url": links["candidates"](pk), "profile_url": links["profile"](row["mentor_id"]),
        "bio": row["mentor__bio"],
    }


def short_sessions(alliance):
    """The alliance's open sessions still short of mentors (a proposal counts as held), soonest first."""
    held = Match.objects.filter(session=OuterRef("pk"),
                                status__in=[*Match.BOOKED, Match.Status.PROPOSED, Match.Status.COMPLETED])
    return (
        Session.objects.filter(alliance=alliance, status=Session.Status.OPEN, starts_at__gte=timezone.now())
        .annotate(held=total_of(held)).filter(held__lt=F("mentors_needed")).order_by("starts_at", "pk")
    )


def unfilled_sessions(alliance, *, limit=20):
    """The first `limit` open sessions still short of mentors, with the latest engine reason for each,
    and how many there are in all: (sessions, total)."""
    short = short_sessions(alliance)
    shown = list(short.select_related("request__school").annotate(in_all=total_of(short))[:limit])
    total = shown[0].in_all if shown else 0  # read with the rows
    return with_engine_reasons(alliance, shown), total


def with_engine_reasons(alliance, sessions):
    """`sessions`, each with `why`: the latest matching run's reason it stayed unfilled."""
    why_of = {}
    for unfilled in MatchingRun.objects.filter(alliance=alliance).order_by("-started_at").values_list(
            "unfilled", flat=True)[:20]:
        for entry in unfilled:
            why_of.setdefault(entry["session"], entry["why"])
    for session in sessions:
        session.why = why_of.get(session.pk, "not matched yet")
    return sessions
