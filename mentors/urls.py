"""Volunteer and coordinator-onboarding pages; `api_patterns` are mounted under /api/ by config/urls.py."""
from django.urls import path

from . import api, views

urlpatterns = [
    path("volunteer/signup/", views.volunteer_signup, name="volunteer-signup"),
    path("accounts/verify/<str:token>/", views.verify_email, name="verify-email"),
    path("me/profile/", views.profile, name="mentor-profile"),
    path("me/profile/<slug:step>/", views.profile_step, name="mentor-profile-step"),
    path("coordinator/volunteers/", views.coordinator_volunteers, name="coordinator-volunteers"),
    path("coordinator/volunteers/import/", views.import_volunteers, name="import-volunteers"),
]

api_patterns = [
    path("signup/volunteer/", api.VolunteerSignup.as_view(), name="api-volunteer-signup"),
    path("verify-email/", api.VerifyEmail.as_view(), name="api-verify-email"),
    path("me/mentor/availability/", api.MyAvailability.as_view(), name="api-my-availability"),
    path("coordinator/volunteers/", api.CoordinatorVolunteers.as_view(), name="api-coordinator-volunteers"),
    path("coordinator/volunteers/import/", api.ImportVolunteers.as_view(), name="api-import-volunteers"),
    path("coordinator/volunteers/import/confirm/", api.ConfirmImport.as_view(), name="api-confirm-import"),
]
