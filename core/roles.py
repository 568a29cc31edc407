"""Who the caller is: the role helpers, the API permissions and the one role decorator for pages."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import permissions


def coordinator_of(user):
    return getattr(user, "coordinator", None) if user.is_authenticated else None


def teacher_of(user):
    return getattr(user, "teacher", None) if user.is_authenticated else None


def partner_staff_of(user):
    """The caller's MemberStaff when they may ask for mentors (a nonprofit's programme staff), else None."""
    staff = getattr(user, "member_staff", None) if user.is_authenticated else None
    return staff if staff is not None and staff.member.kind == "nonprofit" else None


def mentor_of(user):
    return getattr(user, "mentor", None) if user.is_authenticated else None


def role_required(role, *, hidden=False, pass_role=False):
    """Only a signed-in user with `role` ("mentor", "teacher" or "coordinator") may open the page.

    Anonymous users go to the login page. Other roles get 403, or 404 with `hidden=True` (pages whose
    very existence is the coordinator's business). With `pass_role=True` the view receives the role's
    object (the Coordinator, Teacher or Mentor) after `request`.
    """
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            holder = getattr(request.user, role, None)
            if holder is None:
                if hidden:
                    raise Http404
                raise PermissionDenied(f"This page is for {role}s.")
            return view(request, holder, *args, **kwargs) if pass_role else view(request, *args, **kwargs)
        return wrapped
    return decorator


def requester_of(user):
    """Who may ask for mentors: a teacher, or a nonprofit's programme staff (MemberStaff); else None."""
    return teacher_of(user) or partner_staff_of(user)


def requester_required(view):
    """Pages for the people who ask for mentors (teachers and partner staff); others get 403."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if requester_of(request.user) is None:
            raise PermissionDenied("This page is for teachers and partner staff.")
        return view(request, *args, **kwargs)
    return wrapped


class IsCoordinator(permissions.BasePermission):
    message = "Only an alliance coordinator can do this."

    def has_permission(self, request, view):
        return coordinator_of(request.user) is not None


class IsTeacher(permissions.BasePermission):
    message = "Only a teacher can do this."

    def has_permission(self, request, view):
        return teacher_of(request.user) is not None


class IsRequester(permissions.BasePermission):
    message = "Only a teacher or a partner's program staff can do this."

    def has_permission(self, request, view):
        return requester_of(request.user) is not None


class IsMentor(permissions.BasePermission):
    message = "Only a volunteer can do this."

    def has_permission(self, request, view):
        return mentor_of(request.user) is not None


def timezone_of(user):
    """The zone a person reads their own pages in: the volunteer's own, a teacher's school's, a coordinator's,
    company lead's or member staff's alliance's; None for anyone else (the server's default applies)."""
    if mentor := mentor_of(user):
        return mentor.timezone
    if teacher := teacher_of(user):
        return teacher.school.timezone
    if coordinator := coordinator_of(user):
        return coordinator.alliance.timezone
    if alliance := _alliance_by_membership(user):
        return alliance.timezone
    return None


def alliance_of(user):
    """The alliance whose name, logo and colour a person's pages wear, or None (the house look)."""
    if coordinator := coordinator_of(user):
        return coordinator.alliance
    if teacher := teacher_of(user):
        return teacher.school.alliance
    if mentor := mentor_of(user):
        return mentor.company.alliance
    return _alliance_by_membership(user)


def _alliance_by_membership(user):
    """A company lead's (through their company) or a member's staff's alliance, read by attribute: core imports
    no app."""
    if not user.is_authenticated:
        return None
    if lead := getattr(user, "company_lead", None):
        return lead.company.alliance
    if staff := getattr(user, "member_staff", None):
        return staff.member.alliance
    return None
