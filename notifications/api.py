"""API: a person's calendar feed URL (issue, rotate, revoke) and the coordinators' inbox of texts."""
from django.conf import settings
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import IsCoordinator, coordinator_of

from . import feeds, inbound, services
from .filters import InboxFilter, NotificationFilter
from .models import CalendarFeedToken, InboundMessage, Notification


class FeedSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(required=False, allow_null=True)
    url = serializers.URLField(required=False, help_text="Only when issued: the secret calendar URL.")


class CalendarFeed(APIView):
    """GET: whether you have a feed. POST: a new secret URL (the old one stops working). DELETE: revoke."""

    def _check(self, request):
        if not feeds.can_subscribe(request.user):
            raise PermissionDenied("Only volunteers and teachers have a calendar feed.")

    @extend_schema(request=None, responses=FeedSerializer)
    def get(self, request):
        self._check(request)
        feed = CalendarFeedToken.objects.filter(user=request.user).first()
        return Response({"active": feed is not None, "created_at": feed.created_at if feed else None})

    @extend_schema(request=None, responses={201: FeedSerializer})
    def post(self, request):
        self._check(request)
        token = CalendarFeedToken.issue(request.user)
        url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("calendar-feed", args=[token])
        return Response({"active": True, "url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        self._check(request)
        CalendarFeedToken.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class InboundMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = InboundMessage
        fields = ["id", "from_number", "body", "handled_as", "reply", "received_at", "needs_review", "reviewed_at"]


class Inbox(generics.ListAPIView):
    """Texts to the coordinator's alliance; by default only those waiting for a person (`?all=1` for every one)."""

    permission_classes = [IsCoordinator]
    serializer_class = InboundMessageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InboxFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no coordinator
            return InboundMessage.objects.none()
        return InboundMessage.objects.filter(alliance=coordinator_of(self.request.user).alliance)


class ResolveInboundMessage(APIView):
    """Mark a text as dealt with."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=None, responses=InboundMessageSerializer)
    def post(self, request, pk):
        alliance = coordinator_of(request.user).alliance
        message = inbound.mark_reviewed(message_id=pk, alliance=alliance, actor=request.user)
        return Response(InboundMessageSerializer(message).data)


class NotificationSerializer(serializers.ModelSerializer):
    held_until = serializers.SerializerMethodField(help_text="When a held message (quiet hours, a retry) may go.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "channel", "to", "status", "provider_status", "error_code", "error", "attempts",
                  "match", "created_at", "sent_at", "held_until", "withdrawn_reason"]

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_held_until(self, notification):
        if notification.status != Notification.Status.PENDING or notification.not_before is None:
            return None
        return serializers.DateTimeField().to_representation(notification.not_before)


class AllianceNotifications(generics.ListAPIView):
    """Messages about the coordinator's alliance's matches; `?status=needs_attention` for those a person must see."""

    permission_classes = [IsCoordinator]
    serializer_class = NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        alliance = coordinator_of(self.request.user).alliance
        return Notification.objects.filter(match__session__alliance=alliance).order_by("-created_at", "-pk")


class ResendNotification(APIView):
    """Send again a message that needs attention (409 for any other); at most once still holds: a text is
    first looked for at the provider, and recorded as sent if it went out after all."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        alliance = coordinator_of(request.user).alliance
        notification = services.resend_notification(
            notification_id=pk, visible=Notification.objects.filter(match__session__alliance=alliance)
        )
        return Response(NotificationSerializer(notification).data)
