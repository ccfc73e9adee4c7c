import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from html import escape

from django import template
from django.template import defaultfilters
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from studio import listing

register = template.Library()


def escaped(value) -> str:
    """A value as a template shows it: a safe string as it is, anything else escaped.
    Django's conditional_escape, without the lazy-string wrapper it pays for at every call:
    for markup written in Python, a dozen values a row (board, calls and Today's lists)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def clock(moment: datetime) -> str:
    """H:i in the current time zone (the branch's), as the `time` filter shows a moment: for
    markup written in Python (the day's sheet, Today's lists)."""
    return timezone.localtime(moment).strftime("%H:%M")


@register.filter
def money(value):
    """Amounts in CNY: ¥12,800.00. Chinese and English write yuan the same way (comma
    thousands, point decimals), whatever Django's locale number grouping says."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_PLACES = ("仟", "佰", "拾", "")
_CAPITAL_GROUPS = ("亿", "万", "")


def amount_in_capitals(value: Decimal | int | str) -> str:
    """An amount in yuan written in capitals (大写) as a Chinese receipt prints it under the
    figures: ¥12,800.00 is 壹万贰仟捌佰元整, ¥1,409.50 is 壹仟肆佰零玖元伍角, ¥16,409.02 is
    壹万陆仟肆佰零玖元零贰分. The People's Bank rules for filling in receipts: one 零 for a
    run of zeros inside the number, 整 after 元 and never after 分, 零 after 元 when the
    角 is 0 but the 分 is not; where the rules allow either, no 零 after a 元 or 万 that
    is 0 (壹仟陆佰捌拾元叁角贰分). Negative amounts (refunds) start with 负."""
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    if yuan >= 10**12:
        raise ValueError("Amounts up to a trillion yuan only.")
    words = ""
    zero_pending = False
    for group_index, group_unit in enumerate(_CAPITAL_GROUPS):
        group = yuan // 10 ** (4 * (2 - group_index)) % 10000
        if group == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        zero_pending = False
        started = zero_in_group = False
        for place, digit in zip(_CAPITAL_PLACES, f"{group:04d}", strict=True):
            if digit == "0":
                zero_in_group = started
                continue
            if zero_in_group:
                words += "零"
                zero_in_group = False
            words += _CAPITAL_DIGITS[int(digit)] + place
            started = True
        words += group_unit
    if words:
        words += "元"
    if jiao == 0 and fen == 0:
        return sign + (words or "零元") + "整"
    if jiao:
        words += _CAPITAL_DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if fen:
        words += _CAPITAL_DIGITS[fen] + "分"
    return sign + words


@register.filter
def capitals(value):
    """{{ amount|capitals }}: the amount in Chinese capitals (大写), in both languages, as
    Chinese receipts print it beside the figures."""
    if value is None or value == "":
        return ""
    try:
        return amount_in_capitals(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def masked(phone, show=False):
    """A phone number as 138****5678 unless the viewer's role calls customers."""
    if not phone or show:
        return phone
    phone = str(phone)
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * max(len(phone) - 7, 1) + phone[-4:]


_BADGE_COLOURS = {"cancelled": "secondary", "delivered": "success", "ready": "info"}


@cache
def _state_labels(model):
    """The state field's labels (lazy, translated when shown) by value, per model:
    `get_state_display()` rebuilds and hashes every choice on each call."""
    return dict(model._meta.get_field("state").flatchoices)


@register.simple_tag
def state_badge(order):
    """An order's state as a coloured badge. A simple tag, not an included template: lists
    show one per row."""
    return badge_of(type(order), order.state)


def badge_of(model, state):
    """The badge of `state` (a value of `model`'s state field), in the active language."""
    colour = _BADGE_COLOURS.get(state, "primary")
    label = _state_labels(model).get(state, state)
    return format_html(
        '<span class="badge state-badge text-bg-{}" data-state="{}">{}</span>',
        colour,
        state,
        str(label),
    )


@register.filter(expects_localtime=True, is_safe=False)
def short_date(value):
    """`|date:"SHORT_DATE_FORMAT"` for dates, remembered per day and language: a list page
    writes hundreds of the same few days. Datetimes go to the `date` filter."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return listing.short_date(value)
    return defaultfilters.date(value, "SHORT_DATE_FORMAT")


@register.filter(is_safe=False)
def short_datetime(value):
    """`|date:"SHORT_DATETIME_FORMAT"` for moments, each written without Django's
    letter-by-letter formatter (studio.listing.short_datetime): a page's ledger and
    history rows. Anything else goes to the `date` filter."""
    if isinstance(value, datetime):
        return listing.short_datetime(value)
    return defaultfilters.date(value, "SHORT_DATETIME_FORMAT")


# --- Forms rendered once ---

# An unbound form marked `same_for_everyone` writes the same HTML for every order and
# every user in one language, but for its fresh request key (the double-submit guard).
# crispy's Bootstrap templates cost ~0.5 ms a field; such a form is rendered through them
# once per process and language, and each page gets a copy with its own request key.
_RENDERED_FORMS: dict[tuple, str] = {}
_KEY_MARK = "5ca1ab1e" * 4
_ROW_MARK = "r0wmark5ca1ab1e"
_ROW_ID = re.compile(r"id_([A-Za-z0-9]+)_%s")


@register.filter
def crispy_once(form):
    """`form|crispy`, from a copy rendered once when the form is unbound, was built with
    no initial data and its class says `same_for_everyone`; otherwise `form|crispy`."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django.utils.translation import get_language

    # The ids: Django's own ("id_%s"), or one form per row ("id_pay12_%s"), whose row part
    # is put in like the key (a copy per row would be a copy per order ever shown).
    row = _ROW_ID.fullmatch(form.auto_id) if isinstance(form.auto_id, str) else None
    if (
        form.is_bound
        or form.initial
        or not getattr(form, "same_for_everyone", False)
        or (form.auto_id != "id_%s" and row is None)
    ):
        return as_crispy_form(form)
    key = (type(form), form.prefix, row is not None, get_language())
    html = _RENDERED_FORMS.get(key)
    if html is None:
        auto_id = f"id_{_ROW_MARK}_%s" if row else "id_%s"
        marked = type(form)(prefix=form.prefix, auto_id=auto_id)
        if "request_key" in marked.fields:
            marked.initial = {"request_key": _KEY_MARK}
        html = _RENDERED_FORMS[key] = str(as_crispy_form(marked))
    if row:
        html = html.replace(_ROW_MARK, row.group(1))
    if "request_key" in form.fields:
        html = html.replace(_KEY_MARK, str(form["request_key"].value()))
    return mark_safe(html)  # noqa: S308 - crispy's own escaped output, and a hex key


@register.simple_tag(takes_context=True)
def consent_table(context) -> str:
    """The consent in force per purpose and channel, and its history (PIPL), from
    `studio.selectors.consent_context`: the markup `studio/includes/consent.html` wrote,
    written in Python (its cells and lines cost the file more than its timeline did)."""
    when = listing.short_datetimes()
    never, yes, withdrawn = gettext("Never asked"), pgettext("consent", "yes"), gettext("withdrawn")
    channels = "".join(f"<th>{escaped(c.label)}</th>" for c in context["consent_channels"])
    rows = []
    for purpose, cells in context["consent_rows"]:
        tds = []
        for c in cells:
            if c.event is None:
                shown = f'<span class="text-muted" title="{escaped(never)}">—</span>'
            elif c.granted:
                at = escaped(when(c.event.at))
                shown = f'<span class="text-success" title="{at}">✓ {escaped(yes)}</span>'
            else:
                at = escaped(when(c.event.at))
                shown = f'<span class="text-danger" title="{at}">✗ {escaped(withdrawn)}</span>'
            tds.append(
                f'<td data-testid="consent-{escaped(c.purpose)}-{escaped(c.channel)}">{shown}</td>'
            )
        rows.append(
            f'<tr><th class="fw-normal">{escaped(purpose)}</th>\n    {"".join(tds)}\n  </tr>'
        )
    agreed = gettext("agreed to %(purpose)s by %(channel)s")
    withdrew = gettext("withdrew consent to %(purpose)s by %(channel)s")
    lines = []
    for e in context["consent_history"]:
        words = (agreed if e.granted else withdrew) % {
            "purpose": escaped(e.purpose),
            "channel": escaped(e.channel),
        }
        by = f" · {escaped(e.recorded_by)}" if e.recorded_by else ""
        lines.append(
            f'\n    <li><span class="text-muted">{escaped(when(e.at))}</span>\n      {words}\n'
            f"      · {escaped(e.source)}{by}</li>\n  "
        )
    if not lines:
        nothing = escaped(gettext("Nothing recorded: never asked."))
        lines.append(f'<li class="text-muted">{nothing}</li>\n  ')
    opened = " open" if context.get("open_history") else ""
    return mark_safe(  # noqa: S308 - every value escaped above
        '<div data-testid="consent">\n'
        '<table class="table table-sm small mb-2" data-testid="consent-state">\n'
        f"  <thead><tr><th>{escaped(gettext('Consent'))}</th>{channels}</tr></thead>\n"
        f"  <tbody>\n  {''.join(rows)}\n  </tbody>\n</table>\n"
        f'<details class="small mb-3"{opened}>\n'
        f"  <summary>{escaped(gettext('History of consent'))}</summary>\n"
        '  <ul class="list-unstyled mb-0" data-testid="consent-history">\n'
        f"  {''.join(lines)}\n  </ul>\n</details>\n</div>"
    )
