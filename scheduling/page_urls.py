"""Pages that show or change matches for volunteers and teachers, and the front pages; names without a namespace.

(scheduling/urls.py holds the coordinator's review pages under the `scheduling:` namespace.)
"""
from django.urls import path

from . import mentor_views, request_views, site_views

urlpatterns = [
    path("", request_views.home, name="home"),
    path("teach/requests/", request_views.request_list, name="teacher-requests"),
    path("teach/requests/new/", request_views.request_new, name="teacher-request-new"),
    path("teach/requests/<int:pk>/", request_views.request_detail, name="teacher-request"),
    path("teach/requests/<int:pk>/cancel/", request_views.request_cancel, name="teacher-request-cancel"),
    path("partner/sites/new/", site_views.edit_partner_site, name="partner-site-new"),
    path("partner/sites/<int:pk>/", site_views.edit_partner_site, name="partner-site-edit"),
    path("me/sessions/", mentor_views.my_sessions, name="my-sessions"),
    path("me/sessions/<int:match_id>/<str:answer>/", mentor_views.answer_invitation, name="answer-invitation"),
]
