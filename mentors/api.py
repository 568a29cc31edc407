from django.db import transaction
from rest_framework import generics

from config.api import IsMentor

from .serializers import MentorProfileSerializer


class MyMentorProfile(generics.RetrieveUpdateAPIView):
    """The signed-in volunteer's profile."""

    serializer_class = MentorProfileSerializer
    permission_classes = [IsMentor]

    def get_object(self):
        return self.request.user.mentor

    @transaction.atomic
    def perform_update(self, serializer):
        availability = serializer.validated_data.pop("availability", None)
        mentor = serializer.save()
        if availability is not None:
            mentor.availability.all().delete()
            mentor.availability.bulk_create(
                mentor.availability.model(mentor=mentor, **window) for window in availability
            )
