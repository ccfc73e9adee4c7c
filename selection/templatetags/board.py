"""The production board's cards, written in Python.

A branch's board holds every item in production (a hundred and more), and the template
engine spent ~400 function calls on each card's tags and conditions: the board was the
slowest staff page at chain scale. The markup is the one the template wrote; every value
is escaped as the template escaped it.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from studio.listing import link_by

register = template.Library()

# A tap's form: posted by htmx, the board swapped for the answer's.
_FORM = (
    '<form method="post" action="{url}" hx-post="{url}" hx-target="#board" '
    'hx-select="#board" hx-swap="outerHTML"{extra}>{csrf}'
)


@register.simple_tag(takes_context=True)
def board_cards(context, items) -> SafeString:
    """The cards of one column, or a dash when it is empty."""
    if not items:
        return mark_safe('<div class="text-muted small">—</div>')
    page = _Page(context)
    return mark_safe("\n".join(page.card(item) for item in items))


class _Page:
    """What is the same for every card of the page: words, links, the CSRF field."""

    def __init__(self, context):
        self.can_move = context.get("can_move")
        self.errors = context.get("errors") or {}
        self.back_into_flow = context.get("back_into_flow") or []
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
            str(context.get("csrf_token", "")),
        )
        self.proofs = link_by("selection:proofs", "number")
        self.words = {
            "waiting": gettext("Waiting for the couple"),
            "changes": gettext("Change asked"),
            "proofs": gettext("Design proofs"),
            "next": pgettext("production", "Next"),
            "passed": gettext("QC passed"),
            "wrong": gettext("What is wrong"),
            "rework": gettext("Rework"),
        }

    def form(self, url, body, extra=""):
        return format_html(_FORM, url=url, extra=mark_safe(extra), csrf=self.csrf) + body

    def card(self, item) -> str:
        words = self.words
        parts = [
            format_html(
                '<div class="card mb-2{}" data-testid="item">'
                '<div class="card-body p-2">'
                '<div class="fw-semibold">{}</div>'
                '<div class="small text-muted">{} · {}</div>'
                '<div class="small{}">{}</div>',
                " border-warning" if item.late else "",
                item.title,
                item.order_number,
                item.couple,
                " text-danger" if item.late else "",
                item.due_text,
            )
        ]
        proofs = self.proofs(item.order_number)
        if item.waiting_for_couple:
            parts.append(
                format_html(
                    '<div><a class="badge text-bg-info" href="{}" '
                    'data-testid="waits-for-couple">{}</a></div>',
                    proofs,
                    words["waiting"],
                )
            )
        elif item.change_asked:
            parts.append(
                format_html(
                    '<div><a class="badge text-bg-warning" href="{}">{}</a></div>',
                    proofs,
                    words["changes"],
                )
            )
        elif item.product in ("album", "enlargement") and item.stage in ("retouch", "design"):
            parts.append(
                format_html('<div><a class="small" href="{}">{}</a></div>', proofs, words["proofs"])
            )
        if item.stage == "rework" and (reason := item.rework_text):
            parts.append(format_html('<div class="small text-danger">{}</div>', reason))
        parts.append(
            format_html_join(
                "",
                '<div class="small text-danger" data-testid="move-error">{}</div>',
                ((m,) for m in self.errors.get(item.pk, ())),
            )
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
                format_html(
                    '<input type="hidden" name="from" value="{}">'
                    '<button class="btn btn-sm btn-primary w-100 mt-1">{} &rarr;</button></form>',
                    item.stage,
                    words["next"],
                ),
            )
        if getattr(item, "pass_url", None):
            passed = self.form(
                item.pass_url,
                format_html(
                    '<button class="btn btn-sm btn-success w-100 mt-1">{}</button></form>',
                    words["passed"],
                ),
            )
            failed = self.form(
                item.fail_url,
                format_html(
                    '<input class="form-control" name="reason" maxlength="200" '
                    'placeholder="{}" aria-label="{}">'
                    '<button class="btn btn-outline-danger">{}</button></form>',
                    words["wrong"],
                    words["wrong"],
                    words["rework"],
                ),
                extra=' class="input-group input-group-sm mt-1"',
            )
            return passed + failed
        if getattr(item, "resume_url", None):
            forms = "".join(
                self.form(
                    item.resume_url,
                    format_html(
                        '<input type="hidden" name="to" value="{}">'
                        '<button class="btn btn-sm btn-outline-primary">{}</button></form>',
                        stage,
                        label,
                    ),
                )
                for stage, label in self.back_into_flow
            )
            return format_html('<div class="d-flex gap-1 mt-1">{}</div>', mark_safe(forms))
        return ""
