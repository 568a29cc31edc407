"""Writes on programs: a member's own edits and the coordinator's moderation, each in one transaction."""
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError

from . import geo
from .models import Program


class ProgramError(DomainError):
    code = "program_state"
    http_status = 409


def _place(program):
    found = None if program.virtual and not program.zip_code else geo.locate(program.zip_code)
    program.latitude, program.longitude = found if found else (None, None)


@transaction.atomic
def save_program(*, form, member):
    """Save a member's program from a valid ProgramForm: placed from its ZIP, searchable, never published by
    an edit (a published program edited goes back to the coordinator as submitted)."""
    program = form.save(commit=False)
    if program.pk and program.member_id != member.pk:
        raise ProgramError("This program is another member's.", code="not_yours", http_status=403)
    program.member, program.alliance = member, member.alliance
    if program.status == Program.Status.PUBLISHED:
        program.status = Program.Status.SUBMITTED
    _place(program)
    program.save()
    form.save_m2m()
    return program


@transaction.atomic
def move_program(*, program_id, action, by=None):
    """submit (the member), publish / return / archive (the coordinator): refused with 409 once the
    program's status no longer allows it."""
    allowed, target = Program.TRANSITIONS[action]
    fields = {"status": target}
    if target == Program.Status.PUBLISHED:
        fields["published_at"] = timezone.now()
    if not Program.objects.filter(pk=program_id, status__in=allowed).update(**fields, updated_at=timezone.now()):
        raise ProgramError("This program has moved on since you opened it; reload the page.")
    return Program.objects.get(pk=program_id)


def archive_past_programs(*, today):
    """Archive every program whose last day has passed; returns how many."""
    return (Program.objects.exclude(status=Program.Status.ARCHIVED).filter(ends_on__lt=today)
            .update(status=Program.Status.ARCHIVED, updated_at=timezone.now()))
