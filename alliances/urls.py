from django.urls import path

from . import views

urlpatterns = [
    path("alliances/<slug:slug>/join/", views.join, name="join-alliance"),
    path("alliances/<slug:slug>/join/thanks/", views.join_thanks, name="join-thanks"),
    path("coordinator/members/", views.member_list, name="coordinator-members"),
    path("coordinator/members/<int:pk>/", views.member_review, name="coordinator-member"),
    path("coordinator/members/<int:pk>/staff/", views.invite_member_staff, name="invite-member-staff"),
    path("coordinator/members/<int:pk>/staff/<int:staff_id>/verify/", views.verify_member_staff,
         name="verify-member-staff"),
    path("members/colleagues/", views.colleagues, name="member-colleagues"),
]
