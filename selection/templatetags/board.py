"""The production board's cards, written in Python.

A branch's board holds every item in production (a hundred and more), and the template
engine spent ~400 function calls on each card's tags and conditions: the board was the
slowest staff page at chain scale. The markup is the one the template wrote; every value
is escaped as the template escaped it (`escaped`: Django's conditional_escape, without the
lazy-string wrapper it pays for at each of a card's dozen values).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from studio.listing import link_by
from studio.templatetags.studio import escaped

register = template.Library()


@register.simple_tag(takes_context=True)
def board_cards(context, items) -> SafeString:
    """The cards of one column, or a dash when it is empty."""
    if not items:
        return mark_safe('<div class="text-muted small">—</div>')
    page = _Page(context)
    return mark_safe("\n".join(page.card(item) for item in items))  # every value escaped


class _Page:
    """What is the same for every card of the page: words, links, the CSRF field."""

    def __init__(self, context):
        self.can_move = context.get("can_move")
        self.errors = context.get("errors") or {}
        self.back_into_flow = [
            (escaped(s), escaped(label)) for s, label in context.get("back_into_flow") or []
        ]
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
            str(context.get("csrf_token", "")),
        )
        self.proofs = link_by("selection:proofs", "number")
        self.words = {
            key: escaped(word)
            for key, word in {
                "waiting": gettext("Waiting for the couple"),
                "changes": gettext("Change asked"),
                "proofs": gettext("Design proofs"),
                "next": pgettext("production", "Next"),
                "passed": gettext("QC passed"),
                "wrong": gettext("What is wrong"),
                "rework": gettext("Rework"),
            }.items()
        }

    def form(self, url, body, extra=""):
        url = escaped(url)
        return (
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="#board" '
            f'hx-select="#board" hx-swap="outerHTML"{extra}>{self.csrf}{body}'
        )

    def card(self, item) -> str:
        words = self.words
        late = item.late
        parts = [
            f'<div class="card mb-2{" border-warning" if late else ""}" data-testid="item">'
            '<div class="card-body p-2">'
            f'<div class="fw-semibold">{escaped(item.title)}</div>'
            f'<div class="small text-muted">{escaped(item.order_number)} · {escaped(item.couple)}</div>'
            f'<div class="small{" text-danger" if late else ""}">{escaped(item.due_text)}</div>'
        ]
        if item.waiting_for_couple:
            parts.append(
                f'<div><a class="badge text-bg-info" href="{escaped(self.proofs(item.order_number))}" '
                f'data-testid="waits-for-couple">{words["waiting"]}</a></div>'
            )
        elif item.change_asked:
            parts.append(
                f'<div><a class="badge text-bg-warning" href="{escaped(self.proofs(item.order_number))}">'
                f"{words['changes']}</a></div>"
            )
        elif item.product in ("album", "enlargement") and item.stage in ("retouch", "design"):
            parts.append(
                f'<div><a class="small" href="{escaped(self.proofs(item.order_number))}">'
                f"{words['proofs']}</a></div>"
            )
        if item.stage == "rework" and (reason := item.rework_text):
            parts.append(f'<div class="small text-danger">{escaped(reason)}</div>')
        parts.extend(
            f'<div class="small text-danger" data-testid="move-error">{escaped(m)}</div>'
            for m in self.errors.get(item.pk, ())
        )
        if self.can_move:
            parts.append(self.taps(item))
        parts.append("</div></div>")
        return "".join(parts)

    def taps(self, item) -> str:
        words = self.words
        if getattr(item, "next_url", None):
            return self.form(
                item.next_url,
                f'<input type="hidden" name="from" value="{escaped(item.stage)}">'
                f'<button class="btn btn-sm btn-primary w-100 mt-1">{words["next"]} &rarr;</button></form>',
            )
        if getattr(item, "pass_url", None):
            passed = self.form(
                item.pass_url,
                f'<button class="btn btn-sm btn-success w-100 mt-1">{words["passed"]}</button></form>',
            )
            failed = self.form(
                item.fail_url,
                '<input class="form-control" name="reason" maxlength="200" '
                f'placeholder="{words["wrong"]}" aria-label="{words["wrong"]}">'
                f'<button class="btn btn-outline-danger">{words["rework"]}</button></form>',
                extra=' class="input-group input-group-sm mt-1"',
            )
            return passed + failed
        if getattr(item, "resume_url", None):
            forms = "".join(
                self.form(
                    item.resume_url,
                    f'<input type="hidden" name="to" value="{stage}">'
                    f'<button class="btn btn-sm btn-outline-primary">{label}</button></form>',
                )
                for stage, label in self.back_into_flow
            )
            return f'<div class="d-flex gap-1 mt-1">{forms}</div>'
        return ""
