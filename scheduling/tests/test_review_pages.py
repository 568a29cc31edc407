"""The coordinator's review queue and the completion pages, as people use them."""
import pytest
from django.urls import reverse

from mentors.tests.factories import MentorFactory
from scheduling import services
from scheduling.models import Match
from scheduling.tests.factories import held, make_request
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    return TeacherFactory()


@pytest.fixture
def coordinator(teacher, client):
    coordinator = CoordinatorFactory(alliance=teacher.school.alliance)
    client.force_login(coordinator.user)
    return coordinator


def proposal(teacher, **mentor_fields):
    session = make_request(teacher).sessions.get()
    mentor = MentorFactory(company__alliance=teacher.school.alliance, **mentor_fields)
    return Match.objects.create(session=session, mentor=mentor, score=0.8,
                                reasons={"skills": 0.5, "distance": 0.2, "fairness": 0.1})


def test_the_queue_shows_each_proposal_with_its_score_parts_and_check_expiry(client, coordinator, teacher):
    match = proposal(teacher)
    page = client.get(reverse("scheduling:review-queue")).content.decode()
    assert str(match.mentor) in page
    assert "distance" in page and "0.200" in page  # the numbers, one click away (Score details)
    assert f"check valid to {match.mentor.background_check_expires:%b %Y}" in page


def test_the_queue_says_each_reason_in_words(client, coordinator, teacher):
    request = make_request(teacher, skills=("robotics", "software", "electrical-engineering"), language="es")
    # About 6 miles north of the school (0.087 degrees of latitude).
    mentor = MentorFactory(company__alliance=teacher.school.alliance, skills=["robotics", "software"],
                           languages=["en", "es"], latitude=teacher.school.latitude + 0.087,
                           longitude=teacher.school.longitude, bio="Builds robots at GE.")
    Match.objects.create(session=request.sessions.get(), mentor=mentor, score=0.8, reasons={"skills": 0.27})
    page = client.get(reverse("scheduling:review-queue")).content.decode()
    assert "robotics and software engineering: 2 of the 3 skills asked" in page
    assert "6 miles away" in page
    assert "0 sessions in the last 90 days" in page
    assert "speaks Spanish" in page
    assert "Builds robots at GE." in page  # the profile peek
    assert reverse("volunteer-profile", args=[mentor.pk]) in page


def test_distances_are_in_kilometres_for_an_alliance_that_uses_them(client, coordinator, teacher):
    teacher.school.alliance.distance_unit = "km"
    teacher.school.alliance.save()
    proposal(teacher, latitude=teacher.school.latitude + 0.09, longitude=teacher.school.longitude)
    page = client.get(reverse("scheduling:review-queue")).content.decode()
    assert "10 km away" in page and "miles away" not in page


def test_approve_selected_with_nothing_ticked_says_so(client, coordinator, teacher):
    match = proposal(teacher)
    response = client.post(reverse("scheduling:bulk-approve"), {}, follow=True)
    assert "Nothing was ticked" in response.content.decode()
    assert Match.objects.get(pk=match.pk).status == "proposed"


def test_an_in_place_approval_answers_json_and_keeps_the_coordinators_place(client, coordinator, teacher):
    match = proposal(teacher)
    response = client.post(reverse("scheduling:approve", args=[match.pk]), HTTP_X_INPLACE="1")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and "on its way" in response.json()["message"]
    again = client.post(reverse("scheduling:approve", args=[match.pk]), HTTP_X_INPLACE="1")
    assert again.status_code == 409 and "no longer" in again.json()["message"]


def test_an_in_place_reject_without_a_reason_names_the_field(client, coordinator, teacher):
    match = proposal(teacher)
    response = client.post(reverse("scheduling:reject", args=[match.pk]), {"reason": ""}, HTTP_X_INPLACE="1")
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert Match.objects.get(pk=match.pk).status == "proposed"


def test_a_rejection_reason_shows_later_in_the_volunteers_match_history(client, coordinator, teacher):
    match = proposal(teacher)
    client.post(reverse("scheduling:reject", args=[match.pk]), {"reason": "too far for a first visit"})
    page = client.get(reverse("volunteer-profile", args=[match.mentor_id])).content.decode()
    assert "too far for a first visit" in page and "Rejected" in page


def test_an_action_without_javascript_comes_back_to_the_same_match(client, coordinator, teacher):
    match = proposal(teacher)
    page = client.get(reverse("scheduling:review-queue") + "?page=1").content.decode()
    assert f'value="/coordinator/review/?page=1#match-{match.pk}"' in page


def test_approving_from_the_queue_invites_the_mentor(client, coordinator, teacher):
    match = proposal(teacher)
    response = client.post(reverse("scheduling:approve", args=[match.pk]), follow=True)
    assert Match.objects.get(pk=match.pk).status == "approved"
    assert "invitation is on its way" in response.content.decode()


@pytest.mark.parametrize(("next_url", "lands_on"), [
    ("/coordinator/review/?school=1", "/coordinator/review/?school=1"),
    ("https://evil.example/phish", "/coordinator/review/"),
    ("//evil.example/phish", "/coordinator/review/"),
])
def test_after_an_action_it_goes_back_only_to_a_page_of_this_site(client, coordinator, teacher, next_url, lands_on):
    match = proposal(teacher)
    response = client.post(reverse("scheduling:approve", args=[match.pk]), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == lands_on


def test_a_second_approval_gets_a_clear_message_not_an_error_page(client, coordinator, teacher):
    match = proposal(teacher)
    client.post(reverse("scheduling:approve", args=[match.pk]))
    response = client.post(reverse("scheduling:approve", args=[match.pk]), follow=True)
    assert response.status_code == 200
    assert "can no longer become approved" in response.content.decode()


def test_rejecting_needs_a_reason_and_then_remembers_it(client, coordinator, teacher):
    match = proposal(teacher)
    client.post(reverse("scheduling:reject", args=[match.pk]), {"reason": ""})
    assert Match.objects.get(pk=match.pk).status == "proposed"
    client.post(reverse("scheduling:reject", args=[match.pk]), {"reason": "too far for a first visit"})
    assert Match.objects.get(pk=match.pk).transitions.get().reason == "too far for a first visit"


def test_bulk_approval_approves_every_selected_proposal(client, coordinator, teacher):
    matches = [proposal(teacher), proposal(teacher)]
    client.post(reverse("scheduling:bulk-approve"), {"match": [m.pk for m in matches]})
    assert set(Match.objects.values_list("status", flat=True)) == {"approved"}


def test_swapping_replaces_the_proposal_with_a_ranked_candidate(client, coordinator, teacher):
    match = proposal(teacher)
    other = MentorFactory(company__alliance=teacher.school.alliance)
    page = client.get(reverse("scheduling:candidates", args=[match.pk])).content.decode()
    assert str(other) in page
    client.post(reverse("scheduling:candidates", args=[match.pk]), {"mentor": other.pk})
    assert Match.objects.get(pk=match.pk).status == "rejected"
    assert Match.objects.get(mentor=other).status == "proposed"


def test_the_swap_page_gives_each_candidates_reasons_in_words(client, coordinator, teacher):
    match = proposal(teacher)
    MentorFactory(company__alliance=teacher.school.alliance, languages=["en"])
    page = client.get(reverse("scheduling:candidates", args=[match.pk])).content.decode()
    assert "robotics: the skill asked" in page and "under 1 mile away" in page and "check valid to" in page


def test_a_volunteer_who_cannot_take_the_session_cannot_be_swapped_in(client, coordinator, teacher):
    match = proposal(teacher)
    stranger = MentorFactory()  # another alliance
    client.post(reverse("scheduling:candidates", args=[match.pk]), {"mentor": stranger.pk})
    assert Match.objects.get(pk=match.pk).status == "proposed"
    assert not Match.objects.filter(mentor=stranger).exists()


def test_the_queue_lists_requests_the_engine_could_not_fill(client, coordinator, teacher):
    from datetime import UTC, datetime

    from scheduling import matching

    make_request(teacher, grade_band="K-2", topic="Kitchen chemistry")
    MentorFactory(company__alliance=teacher.school.alliance, grade_bands=["9-12"])
    matching.propose_matches(alliance_id=teacher.school.alliance_id, window_start=datetime(2020, 1, 1, tzinfo=UTC),
                          window_end=datetime(2100, 1, 1, tzinfo=UTC))
    queue = client.get(reverse("scheduling:review-queue")).content.decode()
    assert "1 open request still short of mentors" in queue and reverse("scheduling:unfilled") in queue
    page = client.get(reverse("scheduling:unfilled")).content.decode()
    assert "Kitchen chemistry" in page and "K-2" in page  # the engine's reason names the grade band
    assert "not matched yet" not in page


@pytest.mark.parametrize("role", ["teacher", "mentor", "other coordinator"])
def test_nobody_but_the_alliances_coordinators_reaches_the_queue(client, teacher, role):
    match = proposal(teacher)
    user = {"teacher": lambda: teacher.user, "mentor": lambda: match.mentor.user,
            "other coordinator": lambda: CoordinatorFactory().user}[role]()
    client.force_login(user)
    if role != "other coordinator":
        assert client.get(reverse("scheduling:review-queue")).status_code == 404
    assert client.post(reverse("scheduling:approve", args=[match.pk])).status_code == 404
    assert Match.objects.get(pk=match.pk).status == "proposed"


def confirmed(teacher):
    """A confirmed match whose session has just taken place."""
    match = proposal(teacher)
    services.approve_match(match_id=match.pk, actor=None)
    return held(services.confirm_match(match_id=match.pk))


def test_the_teacher_records_that_the_session_happened(client, teacher):
    match = confirmed(teacher)
    client.force_login(teacher.user)
    client.post(reverse("scheduling:complete", args=[match.pk]), {"hours": "1.5", "students_reached": "23"})
    match.refresh_from_db()
    assert (match.status, match.students_reached) == ("completed", 23)


def test_the_teacher_marks_a_no_show(client, teacher):
    match = confirmed(teacher)
    client.force_login(teacher.user)
    client.post(reverse("scheduling:no-show", args=[match.pk]))
    assert Match.objects.get(pk=match.pk).status == "no_show"


def test_a_mentor_cannot_mark_a_no_show_or_complete_someone_elses_session(client, teacher):
    match = confirmed(teacher)
    client.force_login(MentorFactory().user)
    assert client.post(reverse("scheduling:no-show", args=[match.pk])).status_code == 404
    assert client.post(reverse("scheduling:complete", args=[match.pk]), {"hours": 1, "students_reached": 3}
                       ).status_code == 404
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_the_unchecked_completion_link_is_gone(client, teacher):
    """/done/<token>/ completed any match for anyone holding a 14-day link; the impact app sends its own."""
    from django.core import signing

    match = confirmed(teacher)
    token = signing.dumps({"match": match.pk, "role": "mentor"}, salt="mentorbridge.completion")
    assert client.post(f"/done/{token}/", {"hours": "1", "students_reached": "20"}).status_code == 404
    assert Match.objects.get(pk=match.pk).status == "confirmed"


def test_the_queue_escapes_what_volunteers_wrote_and_each_form_carries_a_csrf_token(client, coordinator, teacher):
    """Each match's item is built in Python (scheduling/review_items.py): nothing a volunteer typed becomes
    markup, and the approve and reject forms still post with the token."""
    match = proposal(teacher, bio='<script>alert("bio")</script>', user__first_name="<b>Ada</b>")
    page = client.get(reverse("scheduling:review-queue") + "?status=proposed&x=<i>").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;bio&quot;)&lt;/script&gt;" in page
    assert "<b>Ada</b>" not in page and "&lt;b&gt;Ada&lt;/b&gt;" in page
    assert "x=<i>" not in page
    item = page[page.index(f'id="match-{match.pk}"'):]
    assert item.count('name="csrfmiddlewaretoken"') >= 2
    assert reverse("scheduling:approve", args=[match.pk]) in item


@pytest.mark.parametrize("data", [
    {"status": "proposed"}, {"status": "", "school": "SCHOOL", "date_to": "2026-12-09"},
    {"status": "proposed", "date_from": "not a date"}, {"school": "zz", "date_from": "2026-01-02"},
    {"status": "bogus", "date_from": '<b>"x"</b>'},
])
def test_the_filter_form_built_in_one_pass_is_the_markup_djangos_widgets_give(teacher, data):
    """review_items.filter_fields writes the queue's filters without Django's per-widget templates: the same
    markup for chosen, blank and invalid values (errors on their field, escaped), whitespace aside."""
    import re

    from django.template import Context, Template

    from scheduling.review_items import filter_fields
    from scheduling.views import QueueFilter

    data = {key: str(teacher.school.pk) if value == "SCHOOL" else value for key, value in data.items()}
    form = QueueFilter(data, alliance=teacher.school.alliance)
    form.is_valid()
    django_markup = Template("{% for field in form %}<div>{{ field.label_tag }}{{ field.errors }}{{ field }}</div>"
                             "{% endfor %}").render(Context({"form": form}))

    def tight(markup):
        return re.sub(r">\s+<", "><", markup.strip())

    assert tight(filter_fields(form)) == tight(django_markup)
    assert "<b>" not in filter_fields(form)
