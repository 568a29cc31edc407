"""The coordinator's vetting actions, pages and API alike: approve, suspend, record a background check.

They live here, above mentors/, because a suspension or a lapsed check must also take the volunteer out
of their classrooms (`scheduling.vetting`), which mentors/ cannot reach.
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import IsCoordinator, coordinator_of
from mentors.forms import BackgroundCheckForm, apply_errors
from mentors.models import Mentor
from mentors.serializers import BackgroundCheckSerializer, CoordinatorMentorSerializer
from mentors.views import role_required

from . import vetting


def alliance_mentors(user):
    return Mentor.objects.filter(company__alliance=coordinator_of(user).alliance).select_related("user", "company")


class SuspendForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why suspend this volunteer?",
                             help_text="Kept in the audit trail; never sent to the volunteer or a teacher.")


class SuspendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


# --- pages ------------------------------------------------------------------------------------------

@require_POST
@role_required("coordinator")
def approve_volunteer(request, mentor_id):
    mentor = get_object_or_404(alliance_mentors(request.user), pk=mentor_id)
    try:
        vetting.approve_volunteer(mentor_id=mentor.pk, actor=request.user)
        messages.success(request, f"{mentor} is approved.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("coordinator-volunteers")


@role_required("coordinator")
def background_check(request, mentor_id):
    """Record a check; a failed, revoked or expired one takes the volunteer out of in-person sessions."""
    mentor = get_object_or_404(alliance_mentors(request.user), pk=mentor_id)
    initial = {"status": mentor.background_check_status, "reference": mentor.background_check_reference,
               "expires": mentor.background_check_expires}
    form = BackgroundCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vetting.record_background_check(mentor_id=mentor.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Background check for {mentor} saved.")
            return redirect("coordinator-volunteers")
    return render(request, "mentors/background_check.html", {"form": form, "mentor": mentor})


@role_required("coordinator")
def suspend_volunteer(request, mentor_id):
    """Suspend a volunteer: they are taken out of every session they were booked for."""
    mentor = get_object_or_404(alliance_mentors(request.user), pk=mentor_id)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vetting.suspend_volunteer(mentor_id=mentor.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{mentor} is suspended; any sessions they were booked for are being "
                                      "re-matched and their teachers told.")
            return redirect("coordinator-volunteers")
    return render(request, "mentors/suspend.html", {"form": form, "mentor": mentor})


# --- API --------------------------------------------------------------------------------------------

class ApproveVolunteer(APIView):
    permission_classes = [IsCoordinator]

    @extend_schema(request=None, responses=CoordinatorMentorSerializer)
    def post(self, request, pk):
        mentor = get_object_or_404(alliance_mentors(request.user), pk=pk)
        mentor = vetting.approve_volunteer(mentor_id=mentor.pk, actor=request.user, via="api")
        return Response(CoordinatorMentorSerializer(mentor).data)


class RecordBackgroundCheck(APIView):
    """Coordinators record checks; no volunteer-facing form or endpoint can write these fields."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=BackgroundCheckSerializer, responses=CoordinatorMentorSerializer)
    def post(self, request, pk):
        mentor = get_object_or_404(alliance_mentors(request.user), pk=pk)
        body = BackgroundCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mentor = vetting.record_background_check(mentor_id=mentor.pk, actor=request.user, via="api",
                                                 **body.validated_data)
        return Response(CoordinatorMentorSerializer(mentor).data)


class SuspendVolunteer(APIView):
    """Suspend a volunteer of the alliance; every future booked match of theirs is withdrawn."""

    permission_classes = [IsCoordinator]

    @extend_schema(request=SuspendSerializer, responses=CoordinatorMentorSerializer)
    def post(self, request, pk):
        mentor = get_object_or_404(alliance_mentors(request.user), pk=pk)
        body = SuspendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mentor = vetting.suspend_volunteer(mentor_id=mentor.pk, actor=request.user, via="api",
                                           reason=body.validated_data["reason"])
        return Response(CoordinatorMentorSerializer(mentor).data)
