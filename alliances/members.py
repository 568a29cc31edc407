"""Joining the alliance: an application, the coordinator's review, and the member's people.

Every write is one transaction with a compare-and-set on the member's status, so two coordinators
deciding at once cannot both win; the loser gets a MemberError (409).
"""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import accounts
from core.errors import DomainError

from .models import Member, MemberStaff, Mou


class MemberError(DomainError):
    code = "member_state"
    http_status = 409


def current_mou(alliance):
    """The alliance's newest MOU version, or None when it has none yet."""
    return Mou.objects.filter(alliance=alliance).order_by("-version").first()


@transaction.atomic
def apply_to_join(*, alliance, mou, name, kind, contact_name, contact_email, contact_phone="", website="",
                  offers=(), about=""):
    """Record an application that accepted `mou` (a version of this alliance's). Nothing is public yet."""
    if mou.alliance_id != alliance.pk:
        raise MemberError("That MOU is not this alliance's.", http_status=400)
    return Member.objects.create(
        alliance=alliance, name=name, kind=kind, contact_name=contact_name, contact_email=contact_email.lower(),
        contact_phone=contact_phone, website=website, offers=list(offers), about=about, mou=mou,
        mou_accepted_at=timezone.now(),
    )


def _decide(*, member_id, by, status, note=""):
    changed = Member.objects.filter(pk=member_id, status__in=Member.REVIEWABLE).update(
        status=status, reviewed_at=timezone.now(), reviewed_by=by, review_note=note)
    if not changed:
        raise MemberError("This application was already decided.")
    return Member.objects.get(pk=member_id)


@transaction.atomic
def approve_member(*, member_id, by):
    """Approve an application; its contact gets an account of the member's (mailed a link to set a password)."""
    member = _decide(member_id=member_id, by=by, status=Member.Status.APPROVED)
    add_member_staff(member=member, email=member.contact_email, name=member.contact_name, by=by)
    return member


@transaction.atomic
def decline_member(*, member_id, by, reason):
    """Decline with a reason the applicant is told."""
    return _decide_and_tell(
        member_id=member_id, by=by, status=Member.Status.DECLINED, note=reason, code="reason_required",
        empty="Say why, so the applicant knows.", subject="Your application to {alliance}",
        body="Hello {contact},\n\nThank you for applying. We cannot accept {member} as a member now:\n\n{note}"
             "\n\n{alliance}")


@transaction.atomic
def ask_member_for_more(*, member_id, by, question):
    """Keep the application open and ask the applicant for more (emailed to its contact)."""
    return _decide_and_tell(
        member_id=member_id, by=by, status=Member.Status.MORE_INFO, note=question, code="question_required",
        empty="Say what you need to know.", subject="Your application to {alliance}: a question",
        body="Hello {contact},\n\nBefore we decide on {member}'s application we need to know:\n\n{note}\n\n"
             "Please reply to {reply_to}.")


def _decide_and_tell(*, member_id, by, status, note, code, empty, subject, body):
    """Record a decision that carries words for the applicant, and email them (after commit)."""
    note = note.strip()
    if not note:
        raise MemberError(empty, code=code, http_status=400)
    member = _decide(member_id=member_id, by=by, status=status, note=note)
    words = {"alliance": member.alliance.name, "contact": member.contact_name, "member": member.name, "note": note,
             "reply_to": member.alliance.contact_email}
    accounts.send_after_commit(subject=subject.format(**words), body=body.format(**words), to=member.contact_email,
                              alliance=member.alliance)
    return member


def add_member_staff(*, member, email, name="", by=None):
    """Give `email` an account that acts for `member` (an existing account is linked, not replaced).

    Staff added by a coordinator's act (`by`: approving the member, or inviting the person) are vouched for
    by it, the way verifying a teacher does; the set-password link proves the address."""
    user = accounts.find_user_by_email(email) or _new_account(email, name)
    staff, created = MemberStaff.objects.get_or_create(
        user=user, defaults={"member": member, "verified_at": timezone.now(), "verified_by": by})
    if not created and staff.member_id != member.pk:
        raise MemberError("That person already acts for another member.", code="staff_elsewhere")
    accounts.send_after_commit(
        subject=f"Welcome to {member.alliance.name}",
        body=f"Hello {name or ''},\n\n{member.name} is now a member of {member.alliance.name}. Set your password "
             f"here to {_what_staff_do(member)}:\n\n{accounts.set_password_link(user)}\n", to=user.email,
        alliance=member.alliance)
    return staff


def _new_account(email, name):
    first, _, last = name.partition(" ")
    user = get_user_model().objects.create_user(username=email.lower(), email=email.lower(),
                                                first_name=first[:150], last_name=last[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def invite_colleague(*, staff, email, name):
    """A member's verified person invites a colleague to act for their organisation too: the same set-password
    email. The colleague starts unverified (no mentors asked for) until a coordinator vouches for them; only a
    new address can be invited this way (an existing account is linked by a coordinator, never a colleague)."""
    member = staff.member
    if not staff.is_verified or member.status != Member.Status.APPROVED:
        raise MemberError("A coordinator has to verify you before you can invite colleagues.", code="not_allowed",
                          http_status=403)
    if accounts.find_user_by_email(email) is not None:
        raise MemberError("This address already has an account; ask your coordinator to add that person.",
                          code="account_exists")
    user = _new_account(email, name)
    colleague = MemberStaff.objects.create(user=user, member=member)
    inviter = staff.user.get_full_name() or staff.user.email
    accounts.send_after_commit(
        subject=f"{inviter} invited you to {member.name} on {member.alliance.name}",
        body=f"Hello {name},\n\n{inviter} invited you to act for {member.name} in {member.alliance.name}. Set your "
             f"password here:\n\n{accounts.set_password_link(user)}\n\nA coordinator of {member.alliance.name} "
             f"then checks who you are; we email you when you can {_what_staff_do(member)}.\n",
        to=user.email, alliance=member.alliance)
    return colleague


@transaction.atomic
def vouch_for_staff(*, staff_id, by):
    """A coordinator vouches for a member's person a colleague invited; they may then ask for mentors (if their
    member is a nonprofit). Emailed once; vouching again changes nothing."""
    staff = MemberStaff.objects.select_related("member__alliance", "user").get(
        pk=staff_id, member__alliance_id=by.coordinator.alliance_id)
    if MemberStaff.objects.filter(pk=staff.pk, verified_at__isnull=True).update(verified_at=timezone.now(),
                                                                                verified_by=by):
        member = staff.member
        accounts.send_after_commit(
            subject=f"You can now act for {member.name}",
            body=f"Hello {staff.user.get_full_name()},\n\nA coordinator of {member.alliance.name} verified you: you "
                 f"can now {_what_staff_do(member)}.\n\n{accounts.site_url('/')}\n", to=staff.user.email,
            alliance=member.alliance)
    staff.refresh_from_db()
    return staff


def _what_staff_do(member):
    if member.kind == Member.Kind.NONPROFIT:
        return "publish your programs and ask for mentors for them"
    return "publish your programs"


@transaction.atomic
def invite_partner_staff(*, member, email, name, by):
    """A coordinator invites a person of an approved member of their alliance to act for it (their programme
    staff); they get an email with a link to set their password."""
    if member.status != Member.Status.APPROVED:
        raise MemberError("Only an approved member's people can be invited.", code="member_not_approved")
    if member.alliance_id != by.coordinator.alliance_id:
        raise MemberError("That member is not in your alliance.", code="not_found", http_status=404)
    return add_member_staff(member=member, email=email, name=name, by=by)
