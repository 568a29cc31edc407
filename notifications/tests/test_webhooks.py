"""Twilio's webhooks: signed or refused (nothing written), idempotent, and delivery status only moves forward."""
import itertools

import pytest
from django.http import QueryDict
from django.test import Client
from twilio.request_validator import RequestValidator

from mentors.tests.factories import MentorFactory
from notifications import services
from notifications.models import InboundMessage, Notification, SmsOptOut

pytestmark = pytest.mark.django_db
N = Notification.Status
INBOUND = "/webhooks/twilio/inbound/"
STATUS = "/webhooks/twilio/status/"
PHONE = "+15185550177"


def inbound_params(body="YES", sid="SM" + "a" * 32, sender=PHONE):
    return {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender,
            "To": "+15005550006", "Body": body, "NumMedia": "0"}


def post(path, params, *, token=None, sign_url=None, signature=None, client=None, **headers):
    from django.conf import settings

    url = sign_url or settings.PUBLIC_BASE_URL + path
    if signature is None:
        signature = RequestValidator(token or settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    if signature:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    return (client or Client()).post(path, params, **headers)


def nothing_written():
    return not InboundMessage.objects.exists() and not SmsOptOut.objects.exists()


# Signatures


def test_a_validly_signed_inbound_text_is_processed():
    response = post(INBOUND, inbound_params("HELP"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert InboundMessage.objects.get().handled_as == "help"


@pytest.mark.parametrize("tamper", [
    pytest.param(lambda p: {"signature": ""}, id="missing signature"),
    pytest.param(lambda p: {"signature": "bm90IGEgc2lnbmF0dXJl"}, id="garbage signature"),
    pytest.param(lambda p: {"token": "another-accounts-token"}, id="signed with another token"),
    pytest.param(lambda p: {"sign_url": "http://testserver/webhooks/twilio/status/"}, id="signed for another path"),
    pytest.param(lambda p: {"sign_url": "https://evil.example/webhooks/twilio/inbound/"}, id="signed for another host"),
])
def test_a_badly_signed_text_gets_403_and_writes_nothing(tamper):
    response = post(INBOUND, inbound_params("STOP"), **tamper(None))
    assert response.status_code == 403
    assert nothing_written()


def test_a_parameter_changed_after_signing_gets_403_and_writes_nothing():
    from django.conf import settings

    params = inbound_params("YES")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.PUBLIC_BASE_URL + INBOUND, params)
    response = post(INBOUND, {**params, "Body": "STOP"}, signature=signature)
    assert response.status_code == 403
    response = post(INBOUND, {**params, "Extra": "1"}, signature=signature)
    assert response.status_code == 403
    assert nothing_written()


def test_with_no_auth_token_configured_every_request_is_refused(settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = post(INBOUND, inbound_params("STOP"), token="anything")
    assert response.status_code == 403
    assert nothing_written()


def post_raw_signed(path, body, content_type):
    """Send `body` as it is, signed the way Twilio signs: the URL plus the form fields the server will parse."""
    from django.conf import settings

    fields = QueryDict(body) if content_type == "application/x-www-form-urlencoded" else QueryDict()
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(settings.PUBLIC_BASE_URL + path, fields)
    return Client().post(path, body, content_type=content_type, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.mark.parametrize("path", [INBOUND, STATUS])
@pytest.mark.parametrize("body, content_type", [
    pytest.param('{"MessageSid": "SM1", "From": "+15185550177", "Body": "STOP"}', "application/json", id="json"),
    pytest.param(b"\xff\xfe", "application/x-www-form-urlencoded", id="not utf-8"),
    pytest.param(b"MessageSid&From&Body", "application/x-www-form-urlencoded", id="fields without values"),
    pytest.param(b"", "application/x-www-form-urlencoded", id="empty"),
    pytest.param(b"<Response/>", "text/xml", id="xml"),
])
def test_a_signed_but_malformed_body_reaches_the_parser_and_gets_400_without_writing(path, body, content_type):
    response = post_raw_signed(path, body, content_type)
    assert response.status_code == 400
    assert nothing_written()


def test_a_get_is_not_allowed():
    assert Client().get(INBOUND).status_code == 405
    assert nothing_written()


def test_a_signed_request_missing_its_message_sid_is_a_400_and_writes_nothing():
    params = inbound_params()
    del params["MessageSid"]
    assert post(INBOUND, params).status_code == 400
    assert nothing_written()


def test_behind_a_proxy_the_signature_is_checked_against_the_public_url(settings):
    settings.PUBLIC_BASE_URL = "https://mentors.example.org"
    params = inbound_params("HELP")
    # Twilio signed the public https URL; Django sees http://testserver through the proxy.
    response = post(INBOUND, params, HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    # A signature over the internal URL does not pass.
    response = post(INBOUND, inbound_params("HELP", sid="SM" + "b" * 32), sign_url="http://testserver" + INBOUND)
    assert response.status_code == 403


def test_a_public_url_signed_with_the_default_https_port_is_accepted(settings):
    settings.PUBLIC_BASE_URL = "https://mentors.example.org"
    response = post(INBOUND, inbound_params("HELP"), sign_url="https://mentors.example.org:443" + INBOUND)
    assert response.status_code == 200


def test_the_query_string_is_part_of_what_is_signed():
    notification = services.queue_notification(key="k", channel="sms", kind="t", to=PHONE, body="hi")
    params = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "delivered"}
    url = f"{STATUS}?n={notification.pk}"
    assert post(url, params, sign_url=f"http://testserver{STATUS}").status_code == 403
    assert post(url, params).status_code == 204


def test_an_inbound_text_from_the_twilio_fake_through_a_live_server(settings, fake_twilio, live_server):
    settings.PUBLIC_BASE_URL = live_server.url
    status, body = fake_twilio.send_inbound(live_server.url + INBOUND, PHONE, "+15005550006", " Stop ")
    assert status == 200
    assert "no more texts" in body
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
    status, _ = fake_twilio.send_inbound(live_server.url + INBOUND, PHONE, "+15005550006", "START",
                                         signature="wrong")
    assert status == 403
    assert SmsOptOut.objects.filter(phone=PHONE).exists()


# Idempotency


def test_a_retried_inbound_webhook_is_handled_once():
    MentorFactory(phone=PHONE)
    for _ in range(3):
        response = post(INBOUND, inbound_params("STOP"))
        assert response.status_code == 200
        assert "no more texts" in response.content.decode()
    assert InboundMessage.objects.count() == 1


# Delivery status


def sent_text(key="k", provider_id="SM" + "1" * 32):
    notification = services.queue_notification(key=key, channel="sms", kind="t", to=PHONE, body="hi")
    Notification.objects.filter(pk=notification.pk).update(status=N.SENT, provider_id=provider_id,
                                                           provider_status="queued")
    notification.refresh_from_db()
    return notification


def report(notification_or_sid, status, error_code=None, with_id=True):
    sid = notification_or_sid if isinstance(notification_or_sid, str) else notification_or_sid.provider_id
    params = {"MessageSid": sid, "MessageStatus": status, "SmsStatus": status}
    if error_code:
        params["ErrorCode"] = str(error_code)
    path = STATUS
    if with_id and not isinstance(notification_or_sid, str):
        path = f"{STATUS}?n={notification_or_sid.pk}"
    return post(path, params)


FINAL = {"delivered": N.DELIVERED, "read": N.DELIVERED, "undelivered": N.FAILED, "failed": N.FAILED}


def test_every_order_of_callbacks_ends_at_the_furthest_status():
    statuses = ["queued", "sent", "delivered", "undelivered"]
    for n, order in enumerate(itertools.permutations(statuses)):
        notification = sent_text(key=f"k{n}", provider_id=f"SM{n:032d}")
        for status in order:
            assert report(notification, status).status_code == 204
        notification.refresh_from_db()
        terminal = [s for s in order if s in FINAL]
        assert notification.status == FINAL[terminal[0]], order  # the first final word stands
        assert notification.provider_status == terminal[0]


def test_a_late_sent_callback_never_moves_delivered_back():
    notification = sent_text()
    report(notification, "delivered")
    report(notification, "sent")
    report(notification, "queued", with_id=False)
    notification.refresh_from_db()
    assert (notification.status, notification.provider_status) == (N.DELIVERED, "delivered")


def test_a_callback_that_beats_the_workers_own_write_settles_the_row():
    notification = services.queue_notification(key="k", channel="sms", kind="t", to=PHONE, body="hi")
    services.claim(notification.pk)
    report_sid = "SM" + "9" * 32
    post(f"{STATUS}?n={notification.pk}", {"MessageSid": report_sid, "MessageStatus": "delivered"})
    notification.refresh_from_db()
    assert (notification.status, notification.provider_id) == (N.DELIVERED, report_sid)
    # The worker's write arrives afterwards and does not move it back.
    assert services.record_sent(notification, report_sid, provider_status="queued")
    notification.refresh_from_db()
    assert (notification.status, notification.provider_status) == (N.DELIVERED, "delivered")


def test_a_callback_cannot_hijack_a_row_sent_as_another_message():
    notification = sent_text()
    post(f"{STATUS}?n={notification.pk}", {"MessageSid": "SM" + "f" * 32, "MessageStatus": "failed"})
    notification.refresh_from_db()
    assert notification.status == N.SENT


def test_an_unknown_message_sid_is_acknowledged_and_changes_nothing():
    sent_text()
    assert report("SM" + "e" * 32, "delivered").status_code == 204
    assert Notification.objects.get().status == N.SENT


def test_an_undelivered_report_for_an_unreachable_number_flags_the_profile():
    mentor = MentorFactory(phone=PHONE)
    notification = sent_text()
    report(notification, "undelivered", error_code=30006)
    notification.refresh_from_db()
    mentor.refresh_from_db()
    assert (notification.status, notification.error_code) == (N.FAILED, "30006")
    assert mentor.phone_invalid_at is not None


def test_a_failed_report_saying_opted_out_records_the_opt_out():
    notification = sent_text()
    report(notification, "failed", error_code=21610)
    assert SmsOptOut.objects.filter(phone=PHONE).exists()
