"""A partner's staff add and change their own sites. Here, above schools/, because a site that moves takes its
booked sessions with it (scheduling.site_moves)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from core.forms import apply_errors
from core.roles import role_required
from schools import sites
from schools.forms import PartnerSiteForm

from . import site_moves


@role_required("member_staff", pass_role=True)
def edit_partner_site(request, staff, pk=None):
    member = sites.site_keeper(staff)
    site = get_object_or_404(sites.sites_of(member), pk=pk) if pk else None
    form = PartnerSiteForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            saved, outcomes = site_moves.save_site(member=member, site=site, actor=request.user,
                                                   **form.site_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name}. {site_moves.outcome_words(outcomes)}".strip())
            return redirect("partner-sites")
    return render(request, "schools/partner_site_form.html", {"form": form, "site": site},
                  status=400 if form.errors else 200)
