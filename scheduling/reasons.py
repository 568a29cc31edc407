"""A proposal's reasons in words a coordinator reads at a glance ("robotics and software: 2 of the 3 skills
asked", "6 miles away", "check valid to Mar 2027"); the engine's numbers stay one click away."""
from core.words import count, distance_text, great_circle_km, joined
from mentors.validation import LANGUAGE_CHOICES

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def skills_words(mentor_skills, asked):
    """'robotics and software: 2 of the 3 skills asked', or None when the request asked for none."""
    if not asked:
        return None
    shared = sorted(set(mentor_skills) & set(asked))
    if not shared:
        return f"none of the {count(len(asked), 'skill')} asked"
    if len(shared) == len(set(asked)):
        return f"{joined(shared)}: " + ("the skill asked" if len(shared) == 1 else f"all {len(shared)} skills asked")
    return f"{joined(shared)}: {len(shared)} of the {count(len(asked), 'skill')} asked"


def distance_words(mentor_at, school_at, in_person, unit):
    if not in_person:
        return "virtual: no travel"
    if None in (*(mentor_at or (None,)), *school_at):
        return "distance unknown (no home base)"
    return f"{distance_text(great_circle_km(mentor_at, school_at), unit)} away"


def load_words(sessions_recently):
    return f"{count(sessions_recently, 'session')} in the last 90 days"


def check_words(cleared_through, in_person):
    if cleared_through:
        return f"check valid to {cleared_through:%b %Y}"
    return "background check not cleared" if in_person else "no background check (virtual session)"


def language_words(asked, spoken):
    if not asked:
        return None
    name = LANGUAGE_NAMES.get(asked, asked)
    return f"speaks {name}" if asked in (spoken or []) else f"does not list {name}"


def reason_words(*, mentor_skills, asked_skills, mentor_at, school_at, in_person, unit, recent, cleared_through,
                 language, spoken, continuity):
    """The lines shown under a proposed volunteer, most telling first."""
    lines = [
        skills_words(mentor_skills, asked_skills), distance_words(mentor_at, school_at, in_person, unit),
        load_words(recent), check_words(cleared_through, in_person), language_words(language, spoken),
        "has worked with this teacher before" if continuity else None,
    ]
    return [line for line in lines if line]
