"""The outbox: each outbound message is a row written with the change that caused it."""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms"
        EMAIL = "email"

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        DELIVERED = "delivered"
        SUPPRESSED = "suppressed"
        # No longer true by the time it would go out (the match moved on): never sent, `withdrawn_reason` says why.
        WITHDRAWN = "withdrawn"
        FAILED = "failed"
        NEEDS_ATTENTION = "needs_attention", "needs attention"

    # Unique per (recipient, kind, subject, version): a second write of the same message is a no-op.
    key = models.CharField(max_length=320, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=40)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # An email's HTML alternative (the plain-text `body` is always sent too); blank for texts.
    html = models.TextField(blank=True)
    ics = models.TextField(blank=True)
    ics_method = models.CharField(max_length=16, blank=True)
    match = models.ForeignKey(
        "scheduling.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    # What the domain wrote this message for (e.g. "approved,invited@3"); checked again at send time through
    # NOTIFICATIONS_STILL_STANDS, so a message that is no longer true is withdrawn, not sent. Blank: always true.
    stands_for = models.CharField(max_length=64, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not to be sent before this (a retry's backoff, or quiet hours); null means now.
    not_before = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    # The provider's own last word on the message ("queued", "delivered", ...), for coordinators.
    provider_status = models.CharField(max_length=20, blank=True)
    error_code = models.CharField(max_length=16, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(channel="email") | Q(to__contains="@"), name="email_has_address"),
            # One provider message settles at most one notification (guards the settling sweep).
            models.UniqueConstraint(
                fields=["provider_id"], condition=~Q(provider_id=""), name="one_notification_per_provider_message"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.channel} to {self.to} ({self.status})"


class InboundMessage(models.Model):
    """A text someone sent us; unique on Twilio's MessageSid so a retried webhook is handled once.

    Texts the system could not act on (`needs_review`) make up the coordinators' inbox, beside the
    system's own alerts (`handled_as="alert"`, no sender, e.g. a volunteer withdrawn from sessions).
    """

    message_sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20)
    body = models.TextField(blank=True)
    handled_as = models.CharField(max_length=32, blank=True)
    reply = models.TextField(blank=True)
    # What the reply asked of the sender (a numbered list, a question), so their next text can answer it.
    context = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    # The alliance of the mentor or teacher with this number; null for unknown numbers.
    alliance = models.ForeignKey(
        "alliances.Alliance", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    needs_review = models.BooleanField(default=False, db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.from_number}: {self.body[:40]}"


class SmsOptOut(models.Model):
    """A number that replied STOP (or that the carrier reports opted out): no text goes to it until START."""

    class Source(models.TextChoices):
        REPLY = "reply", "replied STOP"
        CARRIER = "carrier", "opted out at the carrier (Twilio 21610)"

    phone = models.CharField(max_length=20, unique=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.REPLY)
    opted_out_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.phone


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar subscription URL. One per user; rotating it kills the old URL.

    Only a hash is stored, so a copy of the database does not leak working feed URLs.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"calendar feed of {self.user}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user):
        """A new secret for `user` (replacing any old one); returns the token, shown to them only now."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"token_hash": cls.hash(token)})
        return token

    @classmethod
    def user_for(cls, token):
        feed = cls.objects.select_related("user").filter(token_hash=cls.hash(token)).first()
        return feed.user if feed else None
