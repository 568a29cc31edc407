"""Texts are short and GSM-7 where possible: segments counted the way carriers bill them."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications import sms_text
from notifications.models import Notification
from notifications.services import queue_notification
from notifications.twilio_fake.resources import count_segments
from scheduling import messages


def test_curly_quotes_dashes_and_ellipses_become_gsm7():
    assert sms_text.to_gsm7("Ana\u2019s \u201crobot\u201d class \u2014 10\u201311 am\u2026") == (
        "Ana's \"robot\" class - 10-11 am..."
    )


def test_accents_outside_gsm7_are_dropped_but_gsm7_letters_are_kept():
    assert sms_text.to_gsm7("Zoë Núñez, École") == "Zoe Nuñez, École"


def test_characters_without_an_equivalent_keep_the_text_in_ucs2():
    text = sms_text.to_gsm7("Robots 🤖")
    assert "🤖" in text
    assert not sms_text.is_gsm7(text)


@pytest.mark.parametrize("text, count", [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("€" * 80, 1), ("€" * 81, 2),  # the extension table costs two septets a character
    ("ж" * 70, 1), ("ж" * 71, 2), ("ж" * 134, 2), ("ж" * 135, 3),
    ("a" * 69 + "🤖", 2),  # an emoji is two UTF-16 units
])
def test_segments_are_counted_160_153_in_gsm7_and_70_67_in_ucs2(text, count):
    assert sms_text.segments(text) == count


@given(st.text(max_size=400))
def test_segment_counting_agrees_with_the_twilio_fake(text):
    assert sms_text.segments(text) == count_segments(text)


@given(topic=st.text(min_size=1, max_size=300), school=st.text(min_size=1, max_size=200))
def test_fit_always_lands_within_two_segments_and_keeps_the_fixed_parts(topic, school):
    link = "https://mentorbridge.example/i/123456-12-0123456789abcdef/"
    body = sms_text.fit(messages.INVITATION_TEXT, keep={"when": "weekly, 16 sessions from Tue Mar 2, 10:00 AM EST",
                                                        "grades": "6-8", "online": ", online", "link": link},
                        topic=topic, school=school)
    assert sms_text.segments(body) <= 2
    assert "weekly, 16 sessions from Tue Mar 2, 10:00 AM EST" in body
    assert body.endswith(f"Reply YES or NO, or see {link}")


def test_fit_leaves_a_short_text_alone():
    assert sms_text.fit("Hi {name}.", name="Ana") == "Hi Ana."


@pytest.mark.django_db
def test_queueing_a_text_over_two_segments_is_refused_and_writes_nothing():
    with pytest.raises(sms_text.BodyTooLong):
        queue_notification(key="k", channel="sms", kind="test", to="+15185550111", body="x" * 307)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_queued_text_is_stored_in_gsm7():
    queue_notification(key="k", channel="sms", kind="test", to="+15185550111", body="It\u2019s on \u2014 thanks")
    assert Notification.objects.get().body == "It's on - thanks"


@pytest.mark.django_db
def test_an_invitation_with_a_very_long_unicode_topic_and_school_still_fits_two_segments(teacher, coordinator, propose):
    school = teacher.school
    school.name = ("Escuela Secundaria Técnica “Sor Juana Inés de la Cruz” — Campus Norte " * 3)[:200]
    school.save()
    match = propose(request_fields={"topic": ("Construcción de robots seguidores de línea 🤖 " * 5)[:200]})
    from scheduling import services

    services.approve_match(match_id=match.pk, actor=coordinator.user)
    text = Notification.objects.get(match=match, channel="sms")
    assert sms_text.segments(text.body) <= 2
    assert "Reply YES or NO, or see http" in text.body
