"""The review queue's requests and their match items as HTML built in one pass per row (about forty values
each), instead of the template engine resolving, filtering and escaping every one of them: the page's main
cost at fifty rows. The markup is the same as the template's was; every value is escaped here, with the
standard library's `html.escape` (what Django's `escape` calls, without its lazy-string wrapper per call).
"""
import html

from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.text import capfirst


def escape(value):
    return html.escape(str(value))


_PROPOSED_PICK = ('<input type="checkbox" name="match" value="{pk}" form="bulk" id="pick-{pk}">\n'
                  '        <label for="pick-{pk}" class="name">{mentor} ({company})</label>')
_OTHER_NAME = '<span class="name">{mentor} ({company})</span>'
_ACTIONS = """
      <div class="actions" data-actions>
        <form method="post" action="{approve_url}" data-inplace>
          {csrf}<input type="hidden" name="next" value="{back}#match-{pk}">
          <button type="submit">Approve<span class="visually-hidden"> {mentor}</span></button>
        </form>
        <a href="{candidates_url}">Swap in another volunteer<span class="visually-hidden"> for {mentor}</span></a>
      </div>
      <details class="reject">
        <summary>Reject<span class="visually-hidden"> {mentor}</span></summary>
        <form method="post" action="{reject_url}" class="stack" data-inplace>
          {csrf}<input type="hidden" name="next" value="{back}#match-{pk}">
          <div class="field"><label for="reason-{pk}">Why not {mentor}? (kept in the match's history)</label>
          <input id="reason-{pk}" name="reason" required maxlength="500"></div>
          <div><button type="submit" class="danger">Reject<span class="visually-hidden"> {mentor}</span></button></div>
        </form>
      </details>
      <p class="inplace-result" role="status" aria-live="polite"></p>"""
_ITEM = """
    <li class="match" data-match="{pk}" id="match-{pk}">
      <div class="actions">
        {name}
        <span class="badge status-{status}" data-status>{status_label}</span>
      </div>
      <p>First session {first_session}</p>
      <ul class="reasons">{words}</ul>
      <details>
        <summary>Score details<span class="visually-hidden"> for {mentor}</span></summary>
        <dl class="facts">
          <dt>Score</dt><dd class="score">{score}</dd>
          {parts}
          <dt>Recent sessions (90 days)</dt><dd>{recent_load}</dd>
          <dt>Background check until</dt><dd>{cleared_through}</dd>
        </dl>
      </details>
      <details>
        <summary>About {mentor}</summary>
        <p class="break">{bio}</p>
        {ratings}
        <p><a href="{profile_url}">Full profile and history<span class="visually-hidden"> of {mentor}</span></a></p>
      </details>{actions}
    </li>"""
_PLAIN = ("pk", "mentor", "company", "status", "first_session", "score", "recent_load", "cleared_through",
          "profile_url", "approve_url", "reject_url", "candidates_url")


_SECTION = """
<section class="card" aria-labelledby="request-{pk}">
  <h2 id="request-{pk}">{topic}</h2>
  <p class="meta">{school} · grades {grade_band} · {format} ·
    {student_count} students · needs {mentors_needed}</p>
  <ul class="matches">{items}
  </ul>
</section>"""


def sections(request, groups):
    """The HTML of `groups` of `selectors.review_queue`: a card per request with its matches' items."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    back = escape(request.get_full_path())
    cards = []
    for facts, rows in groups:
        items = "".join(item(row, csrf=csrf, back=back) for row in rows)
        cards.append(_SECTION.format(items=items, **{key: escape(value) for key, value in facts.items()}))
    return mark_safe("".join(cards))  # noqa: S308 - every value is escaped


def _ratings(ratings):
    """What teachers said (the markup of scheduling/_ratings.html, which the volunteer's page includes)."""
    markup = f'<p class="rating">{escape(ratings["words"])}</p>'
    if ratings["comments"]:
        lines = "".join(f'\n  <li class="break"><q>{escape(text)}</q> <span class="meta">({escape(when)})</span></li>'
                        for text, when in ratings["comments"])
        markup += f'\n<ul class="plain comments">{lines}\n</ul>'
    return markup


def item(row, *, csrf, back):
    """One match's <li>, as a string whose every value is escaped (`csrf`, `back`: the hidden token input
    and the escaped path to return to)."""
    values = {key: escape(row[key]) for key in _PLAIN}
    values["status_label"] = escape(capfirst(row["status_label"]))
    values["words"] = "".join(f"<li>{escape(line)}</li>" for line in row["words"])
    values["parts"] = "".join(f"<dt>{escape(part)}</dt><dd>{escape(value)}</dd>" for part, value in row["reasons"])
    values["bio"] = escape(row["bio"] or "No bio yet.")
    values["ratings"] = _ratings(row["ratings"])
    proposed = row["proposed"]
    values["name"] = (_PROPOSED_PICK if proposed else _OTHER_NAME).format(**values)
    values["actions"] = _ACTIONS.format(csrf=csrf, back=back, **values) if proposed else ""
    return _ITEM.format(**values)


def filter_fields(form):
    """The queue's filter form (`views.QueueFilter`, bound) as the markup `{% for field in form %}<div>{{
    field.label_tag }}{{ field.errors }}{{ field }}</div>{% endfor %}` gives, built in one pass: Django's
    per-widget and per-option templates cost more than the rest of the page's head."""
    parts = []
    for field in form:
        described = ""
        errors = ""
        if field.errors:
            errors = (f'<ul class="errorlist" id="{field.auto_id}_error">'
                      + "".join(f"<li>{escape(error)}</li>" for error in field.errors) + "</ul>")
            described = f' aria-invalid="true" aria-describedby="{field.auto_id}_error"'
        value = field.value()
        if hasattr(field.field, "choices"):
            chosen = "" if value is None else str(value)
            options = "".join(
                f'<option value="{escape(key)}"{" selected" if str(key) == chosen else ""}>{escape(label)}</option>'
                for key, label in ((getattr(k, "value", k), label) for k, label in field.field.choices))
            control = f'<select name="{field.html_name}"{described} id="{field.auto_id}">{options}</select>'
        else:
            shown = f' value="{escape(field.field.widget.format_value(value))}"' if value not in (None, "") else ""
            control = (f'<input type="{field.field.widget.input_type}" name="{field.html_name}"{shown}{described}'
                       f' id="{field.auto_id}">')
        parts.append(f'<div><label for="{field.auto_id}">{escape(field.label)}:</label>{errors}{control}</div>')
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped

