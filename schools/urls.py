"""Teacher joining, coordinator onboarding and partners' own sites; `api_patterns` are mounted under /api/."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("teacher/signup/", views.teacher_signup, name="teacher-signup"),
    path("teacher/join/<str:token>/", views.teacher_join, name="teacher-join"),
    path("coordinator/teachers/", views.coordinator_teachers, name="coordinator-teachers"),
    path("coordinator/teachers/<int:teacher_id>/verify/", views.verify_teacher, name="verify-teacher"),
    path("coordinator/teachers/invite/", views.invite_teacher, name="invite-teacher"),
    path("partner/sites/", views.partner_sites, name="partner-sites"),
    path("coordinator/matching-weights/", views.matching_weights, name="matching-weights"),
    path("coordinator/matching-weights/reset/", views.reset_matching_weights, name="reset-matching-weights"),
]

api_patterns = [
    path("signup/teacher/", api.TeacherSignup.as_view(), name="api-teacher-signup"),
    path("teacher-invites/accept/", api.AcceptTeacherInvite.as_view(), name="api-accept-teacher-invite"),
    path("coordinator/teacher-invites/", api.CreateTeacherInvite.as_view(), name="api-teacher-invite"),
    path("coordinator/teachers/", api.CoordinatorTeachers.as_view(), name="api-coordinator-teachers"),
    path("coordinator/teachers/<int:pk>/verify/", api.VerifyTeacher.as_view(), name="api-verify-teacher"),
    path("alliance/matching-weights/", api.AllianceMatchingWeights.as_view(), name="api-matching-weights"),
]
