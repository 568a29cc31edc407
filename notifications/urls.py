from django.urls import path

from . import api, views

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("me/calendar/", views.calendar_feed_page, name="my-calendar"),
]

api_patterns = [
    path("me/calendar-feed/", api.CalendarFeed.as_view(), name="my-calendar-feed"),
    path("inbox/", api.Inbox.as_view(), name="inbox"),
    path("inbox/<int:pk>/resolve/", api.ResolveInboundMessage.as_view(), name="inbox-resolve"),
    path("notifications/", api.AllianceNotifications.as_view(), name="alliance-notifications"),
    path("notifications/<int:pk>/resend/", api.ResendNotification.as_view(), name="notification-resend"),
]
