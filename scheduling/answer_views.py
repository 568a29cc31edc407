"""The page an invitation link opens (`/i/<token>/`): the invitation, and Accept and Decline."""
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import answers, services
from .messages import place_line, when

ANSWERS = ("accept", "decline")


@require_http_methods(["GET", "POST"])
def answer_invitation(request, token):
    """Accept and Decline are buttons (a POST), so mail scanners that open links never answer for the mentor.
    A used, expired or changed link says what happened and changes nothing."""
    match, stale = answers.match_for(token)
    if match is None:
        return render(request, "scheduling/answer.html", {"outcome": "unknown"}, status=404)
    outcome = answers.state_of(match, stale)
    if request.method == "POST" and outcome is None and request.POST.get("answer") in ANSWERS:
        outcome = answer(match, accept=request.POST["answer"] == "accept")
    request_ = match.session.request
    context = {
        "match": match, "outcome": outcome, "request_": request_, "when": when(match.session, match.mentor.timezone),
        "place": place_line(match.session), "chosen": request.GET.get("answer", ""),
        "look": match.session.alliance,  # the alliance's look, as the invitation email wears it
    }
    return render(request, "scheduling/answer.html", context)


def answer(match, *, accept):
    """Accept or decline through the lifecycle services; returns the outcome word for the page."""
    try:
        if accept:
            services.confirm_match(match_id=match.pk, via="link")
            return "accepted"
        services.decline_match(match_id=match.pk, via="link", reason="declined from the invitation link")
        return "declined_now"
    except services.MatchError:
        return "closed"
