"""Twilio's webhooks. Every request must carry a valid X-Twilio-Signature; none writes anything otherwise.

https://www.twilio.com/docs/usage/webhooks/webhooks-security
"""
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from .delivery_status import record_delivery_status
from .inbound import handle_inbound
from .sms_text import to_gsm7


def signature_is_valid(request):
    """Check the signature against the public URL Twilio called (not our own host, behind a proxy).

    Fails closed: with no auth token configured nothing is valid.
    """
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = settings.PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST, signature)


def twilio_webhook(view):
    def wrapped(request):
        if not signature_is_valid(request):
            return HttpResponseForbidden("invalid Twilio signature")
        return view(request)

    return csrf_exempt(require_POST(wrapped))


@twilio_webhook
def inbound_message(request):
    """A text from someone: YES / NO / STOP / START / HELP, answered in TwiML."""
    sid, sender = request.POST.get("MessageSid", ""), request.POST.get("From", "")
    if not sid or not sender:
        return HttpResponse("MessageSid and From are required", status=400)
    reply = handle_inbound(
        message_sid=sid, from_number=sender, to_number=request.POST.get("To", ""), body=request.POST.get("Body", "")
    )
    response = MessagingResponse()
    if reply:
        response.message(to_gsm7(reply))
    return HttpResponse(str(response), content_type="text/xml")


@twilio_webhook
def status_callback(request):
    """Twilio tells us what became of a text we sent."""
    sid, status = request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", "")
    if not sid or not status:
        return HttpResponse("MessageSid and MessageStatus are required", status=400)
    notification_id = request.GET.get("n", "")
    record_delivery_status(
        provider_id=sid, provider_status=status, error_code=request.POST.get("ErrorCode", ""),
        notification_id=int(notification_id) if notification_id.isdigit() else None,
    )
    return HttpResponse(status=204)
