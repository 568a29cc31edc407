"""The outbox: each outbound message is a row written with the change that caused it."""
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
        FAILED = "failed"
        NEEDS_ATTENTION = "needs_attention", "needs attention"

    # Unique per (recipient, kind, subject, version): a second write of the same message is a no-op.
    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=40)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    ics = models.TextField(blank=True)
    ics_method = models.CharField(max_length=16, blank=True)
    match = models.ForeignKey(
        "scheduling.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not to be sent before this (a retry's backoff, or quiet hours); null means now.
    not_before = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    error_code = models.CharField(max_length=16, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(channel="email") | Q(to__contains="@"), name="email_has_address"),
        ]

    def __str__(self):
        return f"{self.kind} {self.channel} to {self.to} ({self.status})"


class InboundMessage(models.Model):
    """A text someone sent us; unique on Twilio's MessageSid so a retried webhook is handled once."""

    message_sid = models.CharField(max_length=64, unique=True)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20)
    body = models.TextField(blank=True)
    handled_as = models.CharField(max_length=32, blank=True)
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.from_number}: {self.body[:40]}"


class SmsOptOut(models.Model):
    """A number that replied STOP: no text goes to it until it replies START."""

    phone = models.CharField(max_length=20, unique=True)
    opted_out_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.phone
