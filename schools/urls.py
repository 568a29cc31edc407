"""Home, teacher and coordinator-onboarding pages; `api_patterns` are mounted under /api/ by config/urls.py."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("teacher/signup/", views.teacher_signup, name="teacher-signup"),
    path("teacher/join/<str:token>/", views.teacher_join, name="teacher-join"),
    path("teach/requests/", views.request_list, name="teacher-requests"),
    path("teach/requests/new/", views.request_new, name="teacher-request-new"),
    path("teach/requests/<int:pk>/", views.request_detail, name="teacher-request"),
    path("teach/requests/<int:pk>/cancel/", views.request_cancel, name="teacher-request-cancel"),
    path("coordinator/teachers/", views.coordinator_teachers, name="coordinator-teachers"),
    path("coordinator/teachers/<int:teacher_id>/verify/", views.verify_teacher, name="verify-teacher"),
    path("coordinator/teachers/invite/", views.invite_teacher, name="invite-teacher"),
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
