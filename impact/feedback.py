"""After each occurrence: ask both sides how it went through a signed one-tap link, and record the answer.

A link carries its FeedbackRequest's id signed with a timestamp (`django.core.signing.TimestampSigner`), so
it expires after FEEDBACK_LINK_DAYS; the request row is answered once, by a compare-and-set update, so it
works once. The completion rules stay in `scheduling.services`: the teacher's "it happened" on the last
occurrence completes the match through `complete_match`, the mentor's hours go through
`report_mentor_hours`, with their bounds, their 409s and their 403s.
"""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.errors import DomainError
from scheduling import services as scheduling
from scheduling.models import Match, SessionInterval

from . import messages
from .models import RATING_RANGE, Feedback, FeedbackRequest, Side

SALT = "mentorbridge.impact.feedback"
S = Match.Status


class LinkProblem(DomainError):
    """A one-tap link that cannot be used: broken (404), expired (410) or already used (409)."""

    code = "link_problem"
    http_status = 404


class LinkExpired(LinkProblem):
    code = "link_expired"
    http_status = 410


class AlreadyRecorded(LinkProblem):
    code = "already_recorded"
    http_status = 409


def token_for(feedback_request):
    return signing.TimestampSigner(salt=SALT).sign(str(feedback_request.pk))


def open_link(token):
    """The FeedbackRequest behind a token; LinkProblem (broken), LinkExpired or AlreadyRecorded otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        pk = signer.unsign(token, max_age=timedelta(days=settings.FEEDBACK_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkExpired("This link has expired. Your coordinator can still record how the session went.") from exc
    except signing.BadSignature as exc:
        raise LinkProblem("This link is not valid. Please use the newest link we sent you.") from exc
    found = (FeedbackRequest.objects.select_related("match__session__request__school", "match__mentor__user",
                                                    "match__session__request__teacher__user",
                                                    "match__session__request__partner_staff__user", "interval")
             .filter(pk=int(pk)).first())
    if found is None:
        raise LinkProblem("This link is not valid any more.")
    if found.answered_at is not None or _answered(found):
        raise AlreadyRecorded("This was already recorded. Thank you! Nothing more is needed.")
    return found


def _answered(feedback_request):
    return Feedback.objects.filter(match_id=feedback_request.match_id, interval_id=feedback_request.interval_id,
                                   side=feedback_request.side).exists()


def _last_interval(session):
    return session.intervals.order_by("-starts_at").first()


def occurrence_hours(interval):
    return Decimal((interval.ends_at - interval.starts_at).total_seconds()) / 3600


def check_rating(rating):
    if rating is not None and not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
        raise ValidationError({"rating": "Choose a rating from 1 (poor) to 5 (excellent)."})


def _check_occurrence_hours(interval, hours):
    limit = (occurrence_hours(interval) + Decimal(str(settings.COMPLETION_EXTRA_HOURS))).quantize(Decimal("0.01"))
    if hours is None or not 0 < Decimal(str(hours)) <= limit:
        raise ValidationError({"hours": f"Enter the hours you gave: more than 0 and at most {limit} (this "
                                        f"session's length plus {settings.COMPLETION_EXTRA_HOURS:g} h)."})


@transaction.atomic
def record_feedback(*, feedback_request_id, actor=None, via="link", happened, students_reached=None, hours=None,
                    rating=None, comment=""):
    """Record one side's word on one occurrence, once.

    The teacher's "it happened" on the session's last occurrence completes the match
    (`scheduling.services.complete_match`, students reached = the largest headcount the teacher gave, hours =
    the scheduled length of the occurrences not reported missed); the mentor's answer on the last occurrence
    reports their hours across the series (`report_mentor_hours`). "It did not happen" goes to the
    coordinators. A link that was used is a 409; out-of-range figures are field errors; nothing is written
    when any check fails.
    """
    fr = (FeedbackRequest.objects.select_for_update()
          .select_related("match__session__request__school", "match__mentor__user", "interval")
          .get(pk=feedback_request_id))
    match = fr.match
    if match.status not in (S.CONFIRMED, S.COMPLETED):
        raise scheduling.MatchError(f"This session is {match.get_status_display()}; there is nothing to record.",
                                    code="transition_not_allowed")
    check_rating(rating)
    if happened and fr.side == Side.MENTOR:
        _check_occurrence_hours(fr.interval, hours)
    if happened and fr.side == Side.TEACHER:
        scheduling._check_students(match.session.request, students_reached if students_reached is not None else -1)
    claimed = FeedbackRequest.objects.filter(pk=fr.pk, answered_at=None).update(answered_at=timezone.now())
    if not claimed:
        raise AlreadyRecorded("This was already recorded. Thank you! Nothing more is needed.")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                match=match, interval=fr.interval, side=fr.side, happened=happened,
                students_reached=students_reached if happened and fr.side == Side.TEACHER else None,
                hours=hours if happened and fr.side == Side.MENTOR else None,
                rating=rating, comment=comment.strip(), recorded_by=actor, via=via)
    except IntegrityError as exc:
        raise AlreadyRecorded("This was already recorded. Thank you! Nothing more is needed.") from exc
    if not happened:
        messages.queue_not_held_alert(feedback)
    elif fr.interval_id == _last_interval(match.session).pk:
        _close(match, fr.side, actor)
    return feedback


def _close(match, side, actor):
    """The last occurrence was answered: complete the match (teacher) or report the series' hours (mentor)."""
    answers = Feedback.objects.filter(match=match, side=side)
    if side == Side.TEACHER:
        if match.status != S.CONFIRMED:
            return
        missed = set(answers.filter(happened=False).values_list("interval_id", flat=True))
        held = [i for i in match.session.intervals.all() if i.pk not in missed]
        students = max(answers.filter(happened=True).values_list("students_reached", flat=True), default=0)
        closer = actor if actor is not None and not getattr(actor, "mentor", None) else \
            match.session.request.requester.user
        scheduling.complete_match(match_id=match.pk, actor=closer, hours=sum(map(occurrence_hours, held)),
                                  students_reached=students)
    else:
        total = answers.filter(happened=True).aggregate(total=Sum("hours"))["total"]
        try:
            scheduling.report_mentor_hours(match_id=match.pk, actor=match.mentor.user, hours=total)
        except ValidationError as error:
            raise ValidationError({"hours": f"Across the whole series: {' '.join(error.messages)}"}) from error


# Teachers' ratings as a matching score part: an average drawn toward PRIOR_RATING as if each volunteer had
# PRIOR_COUNT ratings of it already, so one poor first session does not bury a new volunteer.
PRIOR_RATING, PRIOR_COUNT = 4.0, 3


def rating_fit(total, count):
    """A Bayesian average of `count` ratings adding up to `total`, as a 0..1 fit (1 of 5 -> 0, 5 of 5 -> 1)."""
    average = (total + PRIOR_RATING * PRIOR_COUNT) / (count + PRIOR_COUNT)
    return (average - 1) / 4


def mentor_ratings(alliance_id):
    """MATCHING_MENTOR_RATINGS: ({mentor id: rating fit} of the alliance's rated volunteers, the unrated's fit)."""
    rows = (Feedback.objects.filter(side=Side.TEACHER, rating__isnull=False,
                                    match__mentor__company__alliance_id=alliance_id)
            .values("match__mentor_id").annotate(total=Sum("rating"), count=Count("pk")))
    return {r["match__mentor_id"]: rating_fit(r["total"], r["count"]) for r in rows}, rating_fit(0, 0)


RECENT_COMMENTS = 3


def rating_summaries(mentor_ids):
    """REVIEW_MENTOR_RATINGS: {mentor id: {"average", "count", "comments"}} of teachers' ratings, for the
    coordinator's profile peek: the plain average (no prior: this is what teachers said), how many ratings,
    and the newest RECENT_COMMENTS comments as (text, when). Volunteers no teacher answered for are left out.

    One query: each volunteer's teacher feedback with the average and count over all of it (window
    aggregates), numbered commented-first, newest-first, and cut at RECENT_COMMENTS per volunteer."""
    mentor = [F("match__mentor_id")]
    newest_comment = [ExpressionWrapper(Q(comment=""), output_field=BooleanField()).asc(), F("recorded_at").desc(),
                      F("pk")]
    rows = (Feedback.objects.filter(side=Side.TEACHER, match__mentor_id__in=mentor_ids)
            .annotate(average=Window(Avg("rating"), partition_by=mentor),
                      count=Window(Count("rating"), partition_by=mentor),
                      nth=Window(RowNumber(), partition_by=mentor, order_by=newest_comment))
            .filter(nth__lte=RECENT_COMMENTS).order_by("match__mentor_id", "nth")
            .values_list("match__mentor_id", "average", "count", "comment", "recorded_at"))
    summaries = {}
    for mentor_id, average, count, comment, at in rows:
        summary = summaries.setdefault(mentor_id, {"average": average, "count": count, "comments": []})
        if comment:
            summary["comments"].append((comment, at))
    return summaries


def awaiting(alliance_id):
    """Unanswered asks of the alliance, oldest first, for the coordinator to record on someone's behalf."""
    answered = Feedback.objects.filter(match=OuterRef("match"), interval=OuterRef("interval"), side=OuterRef("side"))
    return (FeedbackRequest.objects.filter(match__session__alliance_id=alliance_id, answered_at=None,
                                           match__status__in=[S.CONFIRMED, S.COMPLETED])
            .exclude(Exists(answered))
            .select_related("match__session__request__school", "match__mentor__user", "interval")
            .order_by("interval__starts_at", "pk"))


def queue_feedback_requests(now=None):
    """Ask both sides about every occurrence of a booked match that ended within FEEDBACK_LOOKBACK_DAYS, once;
    remind once those who have not answered after FEEDBACK_REMIND_AFTER_HOURS. Returns (asked, reminded)."""
    now = now or timezone.now()
    ended = SessionInterval.objects.filter(ends_at__lte=now,
                                           ends_at__gt=now - timedelta(days=settings.FEEDBACK_LOOKBACK_DAYS))
    asked = 0
    for interval in ended.filter(session__matches__status=S.CONFIRMED).distinct():
        for match in interval.session.matches.filter(status=S.CONFIRMED):
            asked += _ask(match, interval)
    return asked, _remind(now)


def _ask(match, interval):
    created = 0
    for side in Side.values:
        with transaction.atomic():
            fr, made = FeedbackRequest.objects.get_or_create(match=match, interval=interval, side=side)
            if made:
                messages.queue_ask(fr, token_for(fr))
                created += 1
    return created


def _remind(now):
    due = (FeedbackRequest.objects.filter(answered_at=None, reminded_at=None,
                                          match__status__in=[S.CONFIRMED, S.COMPLETED],
                                          created_at__lte=now - timedelta(hours=settings.FEEDBACK_REMIND_AFTER_HOURS),
                                          created_at__gt=now - timedelta(days=settings.FEEDBACK_LINK_DAYS))
           .select_related("match__session__request__school", "match__mentor__user", "interval"))
    reminded = 0
    for fr in due:
        with transaction.atomic():
            if not FeedbackRequest.objects.filter(pk=fr.pk, reminded_at=None).update(reminded_at=now):
                continue
            if not _answered(fr):
                messages.queue_ask(fr, token_for(fr), reminder=True)
                reminded += 1
    return reminded
