"""Texts people send us: YES / NO answers, STOP / START / HELP, and the coordinators' inbox."""
import pytest
from django.contrib.auth.models import Permission

from mentors.tests.factories import MentorFactory
from notifications import services
from notifications.inbound import STOP_WORDS, handle_inbound, parse
from notifications.models import InboundMessage, Notification, SmsOptOut
from schools.tests.factories import CoordinatorFactory, TeacherFactory

pytestmark = pytest.mark.django_db
PHONE = "+15185550188"
sids = iter(f"SM{n:032d}" for n in range(10**6))


def reply(body, phone=PHONE):
    return handle_inbound(message_sid=next(sids), from_number=phone, to_number="+15005550006", body=body)


def last():
    return InboundMessage.objects.order_by("-pk").first()


# Understanding replies


@pytest.mark.parametrize("body, expected", [
    ("YES", ("YES", None)), ("yes!", ("YES", None)), (" Yes ", ("YES", None)), ("y", ("YES", None)),
    ("1", ("NUMBER", 1)), ("No.", ("NO", None)), ("n", ("NO", None)), ("2", ("NUMBER", 2)),
    ("Yes please", ("YES", None)), ("YES 2", ("YES", 2)), ("no thanks", ("NO", None)), ("drop", ("DROP", None)),
    ("yes no", (None, None)), ("Yes but I can't", (None, None)), ("no, yes", (None, None)),
    ("yes 2", ("YES", 2)), ("YES2", ("YES", 2)), ("No, 1", ("NO", 1)),
    (" Stop ", ("STOP", None)), ("stop.", ("STOP", None)), ("opt-out", ("OPTOUT", None)),
    ("Opt Out", ("OPTOUT", None)), ("un-stop", ("UNSTOP", None)),
    ("maybe next week", (None, None)), ("", (None, None)),
])
def test_replies_are_understood_in_any_case_with_spaces_and_punctuation(body, expected):
    assert parse(body) == expected


# YES and NO


def test_yes_confirms_the_pending_invitation_for_that_number(approved):
    match = approved(phone=PHONE)
    answer = reply("yes!")
    match.refresh_from_db()
    assert match.status == "confirmed"
    assert "confirmed" in answer
    assert match.transitions.last().via == "sms"
    assert last().handled_as == "confirmed"
    assert not last().needs_review


def test_no_declines_the_pending_invitation(approved):
    match = approved(phone=PHONE)
    assert "someone else" in reply(" NO ")
    match.refresh_from_db()
    assert match.status == "declined"


def test_with_several_invitations_the_reply_offers_numbered_choices_and_a_number_picks_one(approved, propose,
                                                                                          coordinator):
    from scheduling import services as scheduling
    from scheduling.tests.factories import next_weekday

    first = approved(phone=PHONE)
    second = propose(mentor=first.mentor, request_fields={"day": next_weekday(14), "topic": "Coding club"})
    scheduling.approve_match(match_id=second.pk, actor=coordinator.user)

    answer = reply("YES")
    assert "you have 2 invitations" in answer
    assert "YES 1 for Build a line-following robot" in answer
    assert "YES 2 for Coding club" in answer
    first.refresh_from_db()
    assert first.status == "approved"  # nothing decided on a guess

    reply("yes 2")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == ("approved", "confirmed")


def test_a_choice_out_of_range_is_asked_again(approved, propose, coordinator):
    from scheduling import services as scheduling
    from scheduling.tests.factories import next_weekday

    first = approved(phone=PHONE)
    second = propose(mentor=first.mentor, request_fields={"day": next_weekday(14)})
    scheduling.approve_match(match_id=second.pk, actor=coordinator.user)
    assert "number from 1 to 2" in reply("YES 7")


def test_yes_with_nothing_pending_gets_a_polite_answer():
    MentorFactory(phone=PHONE)
    assert "no invitation waiting" in reply("YES")


@pytest.mark.parametrize("word", ["YES", "NO"])
def test_a_reply_to_an_invitation_cancelled_meanwhile_says_it_is_too_late(approved, coordinator, monkeypatch, word):
    from scheduling import replies
    from scheduling import services as scheduling

    match = approved(phone=PHONE)
    still_listed = replies._pending

    def cancelled_after_listing(mentors):
        # The coordinator cancels between the moment the reply is read and the moment it is acted on.
        pending = still_listed(mentors)
        scheduling.cancel_match(match_id=match.pk, actor=coordinator.user, reason="class moved", backfill=False)
        return pending

    monkeypatch.setattr(replies, "_pending", cancelled_after_listing)
    assert "no longer open" in reply(word)
    assert last().handled_as == "too_late"
    match.refresh_from_db()
    assert match.status == "cancelled"
    assert not match.transitions.filter(to_status__in=["confirmed", "declined"]).exists()


# STOP, START, HELP


@pytest.mark.parametrize("word", sorted(STOP_WORDS) + ["stop", " Stop ", "Stop.", "opt out", "OPT-OUT"])
def test_every_stop_keyword_opts_the_number_out(word):
    MentorFactory(phone=PHONE)
    assert "no more texts" in reply(word)
    assert SmsOptOut.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize("body", ["please stop texting me", "Unsubscribe me please", "I want to opt out"])
def test_a_sentence_asking_to_stop_opts_out_and_is_shown_to_coordinators(body):
    MentorFactory(phone=PHONE)
    reply(body)
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    assert last().needs_review


def test_a_sentence_mentioning_cancel_is_not_an_opt_out():
    MentorFactory(phone=PHONE)
    reply("I need to cancel next week, sorry")
    assert not SmsOptOut.objects.filter(phone=PHONE).exists()
    assert last().handled_as == "unrecognised"


def test_a_stop_reply_silences_all_future_texts_until_start(fake_twilio):
    MentorFactory(phone=PHONE)
    reply("STOP")
    held = services.queue_notification(key="a", channel="sms", kind="t", to=PHONE, body="Mentorbridge: hi")
    services.deliver_notification(held.pk)
    held.refresh_from_db()
    assert held.status == Notification.Status.SUPPRESSED
    assert fake_twilio.messages == []

    assert "texts are back on" in reply("start")
    later = services.queue_notification(key="b", channel="sms", kind="t", to=PHONE, body="Mentorbridge: hi")
    services.deliver_notification(later.pk)
    assert len(fake_twilio.messages) == 1


def test_an_opted_out_number_gets_no_reply_to_other_texts_but_coordinators_see_them():
    MentorFactory(phone=PHONE)
    reply("STOP")
    assert reply("why did you text me") == ""
    assert last().needs_review


def test_stop_and_start_are_not_answered_twice_when_twilio_answers_them(settings):
    settings.TWILIO_HANDLES_OPT_OUT_REPLIES = True
    MentorFactory(phone=PHONE)
    assert reply("STOP") == ""
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    assert reply("START") == ""
    assert not SmsOptOut.objects.exists()


def test_help_answers_with_the_alliances_contact():
    mentor = MentorFactory(phone=PHONE, company__alliance__name="Capital Region STEM",
                           company__alliance__contact_phone="+15185550100")
    answer = reply("help")
    assert "Capital Region STEM" in answer
    assert "+15185550100" in answer
    assert mentor.company.alliance.contact_email in answer


def test_a_teacher_gets_help_too():
    teacher = TeacherFactory(phone=PHONE)
    assert teacher.school.alliance.name in reply("HELP")


# Everything else, and strangers


def test_an_unknown_number_gets_a_polite_answer_and_is_logged(caplog):
    caplog.set_level("INFO", logger="notifications.inbound")
    assert "don't have this number" in reply("hello?", phone="+15185550999")
    assert "+15185550999" in caplog.text
    assert last().alliance is None


def test_anything_else_gets_a_helpful_answer_and_lands_in_the_inbox():
    MentorFactory(phone=PHONE)
    answer = reply("Running 10 min late, is parking at the front?")
    assert "coordinator will read this" in answer
    assert "YES" in answer and "STOP" in answer
    message = last()
    assert (message.handled_as, message.needs_review) == ("unrecognised", True)


# The coordinators' inbox


def test_coordinators_see_only_their_own_alliances_texts_and_can_mark_them_done(api):
    mine = MentorFactory(phone=PHONE)
    theirs = MentorFactory(phone="+15185550189")
    reply("Is there parking?")
    reply("Is there a dress code?", phone=theirs.phone)
    reply("YES")  # handled by the system: not in the inbox
    coordinator = CoordinatorFactory(alliance=mine.company.alliance)

    inbox = api(coordinator.user).get("/api/inbox/")
    assert inbox.status_code == 200
    assert [m["body"] for m in inbox.json()["results"]] == ["Is there parking?"]
    message_id = inbox.json()["results"][0]["id"]

    other = api(coordinator.user).post(f"/api/inbox/{InboundMessage.objects.get(body__contains='dress').pk}/resolve/")
    assert other.status_code == 404
    done = api(coordinator.user).post(f"/api/inbox/{message_id}/resolve/")
    assert done.status_code == 200 and done.json()["reviewed_at"]
    assert api(coordinator.user).get("/api/inbox/").json()["results"] == []
    everything = api(coordinator.user).get("/api/inbox/?all=1").json()["results"]
    assert {m["body"] for m in everything} == {"Is there parking?", "YES"}


def test_the_inbox_is_for_coordinators_only(api):
    mentor = MentorFactory(phone=PHONE)
    assert api(mentor.user).get("/api/inbox/").status_code == 403
    assert api().get("/api/inbox/").status_code in (401, 403)


def test_in_the_admin_a_coordinator_sees_only_their_alliances_texts(client):
    mine = MentorFactory(phone=PHONE)
    theirs = MentorFactory(phone="+15185550189")
    reply("Is there parking?")
    reply("Is there a dress code?", phone=theirs.phone)
    coordinator = CoordinatorFactory(alliance=mine.company.alliance)
    coordinator.user.is_staff = True
    coordinator.user.save()
    coordinator.user.user_permissions.add(Permission.objects.get(codename="view_inboundmessage"))
    client.force_login(coordinator.user)
    page = client.get("/admin/notifications/inboundmessage/?inbox=open")
    assert page.status_code == 200
    assert "Is there parking?" in page.content.decode()
    assert "dress code" not in page.content.decode()
