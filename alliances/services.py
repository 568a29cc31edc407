"""Writes on the alliance: the weights its matching runs score with, each change in one transaction."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.vocabulary import DEFAULT_WEIGHTS, MAX_WEIGHT, is_weight

from .models import Alliance


def check_matching_weights(weights):
    """Each weight a finite number from 0 to MAX_WEIGHT, and not all zero; raises ValidationError naming the field."""
    errors = {
        part: f"Give a number from 0 to {MAX_WEIGHT:g}."
        for part, value in weights.items()
        if not is_weight(value)
    }
    if errors:
        raise ValidationError(errors)
    if not any(weights.values()):
        raise ValidationError("Give at least one weight above zero: with all of them at zero every volunteer "
                              "would score the same.", code="all_zero")


@transaction.atomic
def set_matching_weights(*, alliance, by, skills, distance, fairness, language, continuity,
                         rating=DEFAULT_WEIGHTS["rating"]):
    """The score weights every later matching run of `alliance` uses; records who changed them and when.
    `rating` (teachers' ratings, weighed only by alliances that opt in) keeps its default of 0 when left out."""
    weights = {"skills": skills, "distance": distance, "fairness": fairness, "language": language,
               "continuity": continuity, "rating": rating}
    check_matching_weights(weights)
    Alliance.objects.filter(pk=alliance.pk).update(
        **{f"weight_{part}": float(value) for part, value in weights.items()},
        weights_changed_at=timezone.now(), weights_changed_by=by,
    )
    alliance.refresh_from_db()
    return alliance


def update_matching_weights(*, alliance, by, **changes):
    """Change some of the weights and keep the others as they stand when the change lands.

    The alliance row is locked while the change is merged in, so two
    coordinators changing different weights at once both keep their change.
    """
    with transaction.atomic():
        current = Alliance.objects.select_for_update().get(pk=alliance.pk)
        return set_matching_weights(alliance=current, by=by, **(current.matching_weights() | changes))


def reset_matching_weights(*, alliance, by):
    """Back to the engine's default weights (recorded as a change like any other)."""
    return set_matching_weights(alliance=alliance, by=by, **DEFAULT_WEIGHTS)
