"""Short texts: GSM-7 where possible, and the segment count a carrier bills.

One non-GSM character (a curly quote, an emoji) turns a whole text into UCS-2, which
halves what fits in a segment; so typographic characters are replaced before sending.
https://www.twilio.com/docs/glossary/what-sms-character-limit
"""
import math
import unicodedata

# The GSM 03.38 basic alphabet; the extension table costs two septets a character.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u2022": "-",
    "\u00b7": "-", "\t": " ",
}
# Routine texts (invitations, reminders) stay within two segments.
MAX_ROUTINE_SEGMENTS = 2
ELLIPSIS = "..."


class BodyTooLong(ValueError):
    """A routine text that would cost more segments than allowed."""


def is_gsm7(text):
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _plain(char):
    """`char` as GSM-7: a known replacement, or the letter without its accent ("ë" -> "e")."""
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in REPLACEMENTS:
        return REPLACEMENTS[char]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return stripped if stripped and is_gsm7(stripped) else char


def to_gsm7(text):
    """`text` with typographic characters and accents replaced where GSM-7 has an equivalent.

    Characters with no equivalent (emoji, most non-Latin scripts) are kept: the text then goes as UCS-2.
    """
    return "".join(_plain(char) for char in text)


def segments(text):
    """How many SMS segments `text` costs: 160/153 septets in GSM-7, 70/67 UTF-16 units in UCS-2."""
    if is_gsm7(text):
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def fit(template, *, keep=None, max_segments=MAX_ROUTINE_SEGMENTS, **fields):
    """`template.format(**keep, **fields)` in GSM-7, shortening the longest field until it fits `max_segments`.

    `fields` are the parts that may be shortened (a topic, a school's name); `keep` (a time, a
    keyword) and the template's own words are kept whole.
    """
    keep = keep or {}
    fields = {name: to_gsm7(str(value)) for name, value in fields.items()}
    body = to_gsm7(template.format(**keep, **fields))
    if segments(body) > max_segments and is_gsm7(to_gsm7(template.format(**keep, **dict.fromkeys(fields, "")))):
        # One emoji in a topic halves what fits (UCS-2): drop what GSM-7 cannot say before cutting words.
        fields = {name: "".join(c for c in value if is_gsm7(c)) for name, value in fields.items()}
        body = to_gsm7(template.format(**keep, **fields))
    while segments(body) > max_segments:
        name = max(fields, key=lambda n: len(fields[n]), default=None)
        if name is None or len(fields[name]) <= len(ELLIPSIS) + 1:
            raise BodyTooLong(f"cannot fit {template!r} into {max_segments} segments")
        value = fields[name]
        fields[name] = value[: max(1, len(value) - max(4, len(value) // 8) - len(ELLIPSIS))].rstrip() + ELLIPSIS
        body = to_gsm7(template.format(**keep, **fields))
    return body


def check_routine(body, max_segments=MAX_ROUTINE_SEGMENTS):
    """Refuse a routine text longer than `max_segments` (a programming error in a template)."""
    count = segments(body)
    if count > max_segments:
        raise BodyTooLong(f"a routine text may use {max_segments} segments, this one needs {count}: {body[:60]!r}")
    return body
