"""Routes of the coordinator's vetting actions (pages, and `api_patterns` mounted under /api/)."""
from django.urls import path

from . import people
from . import vetting_views as views

urlpatterns = [
    path("coordinator/volunteers/<int:mentor_id>/", people.volunteer_profile, name="volunteer-profile"),
    path("coordinator/volunteers/<int:mentor_id>/approve/", views.approve_volunteer, name="approve-volunteer"),
    path("coordinator/volunteers/<int:mentor_id>/background-check/", views.background_check,
         name="background-check"),
    path("coordinator/volunteers/<int:mentor_id>/suspend/", views.suspend_volunteer, name="suspend-volunteer"),
]

api_patterns = [
    path("coordinator/volunteers/<int:pk>/approve/", views.ApproveVolunteer.as_view(), name="api-approve-volunteer"),
    path("coordinator/volunteers/<int:pk>/background-check/", views.RecordBackgroundCheck.as_view(),
         name="api-background-check"),
    path("coordinator/volunteers/<int:pk>/suspend/", views.SuspendVolunteer.as_view(), name="api-suspend-volunteer"),
]
