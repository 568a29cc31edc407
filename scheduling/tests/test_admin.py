"""The admin never bypasses a transition: what a service guards is read-only there."""
import pytest
from django.contrib import admin
from django.test import RequestFactory

from mentors.models import Mentor
from mentors.tests.factories import MentorFactory
from scheduling.models import Session, SessionInterval
from scheduling.tests.factories import make_request

pytestmark = pytest.mark.django_db


def admin_form_fields(model, obj, superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return admin.site._registry[model].get_form(request, obj).base_fields


def test_the_admin_cannot_change_a_volunteers_status_or_background_check(admin_user):
    fields = admin_form_fields(Mentor, MentorFactory(), admin_user)
    for guarded in ("status", "background_check_status", "background_check_reference", "background_check_expires"):
        assert guarded not in fields


def test_the_admin_approve_action_goes_through_the_service(admin_client):
    mentor = MentorFactory(status=Mentor.Status.PENDING)
    admin_client.post("/admin/mentors/mentor/", {"action": "approve", "_selected_action": [mentor.pk]})
    mentor.refresh_from_db()
    assert mentor.status == Mentor.Status.APPROVED


def test_the_admin_cannot_move_a_session_or_its_intervals(admin_user):
    session = make_request().sessions.get()
    assert not {"starts_at", "ends_at", "request"} & set(admin_form_fields(Session, session, admin_user))
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    [inline] = admin.site._registry[Session].get_inline_instances(request, session)
    assert inline.model is SessionInterval
    assert set(inline.get_readonly_fields(request, session)) >= {"starts_at", "ends_at"}
    assert not inline.has_add_permission(request, session) and not inline.has_delete_permission(request, session)
