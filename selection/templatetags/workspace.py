"""The selection workspace's tabs and picked numbers, written in Python.

A pass holds a hundred numbers and more, and the template engine spent ~150 function calls
on each number's badge (its conditions, its title, its album page): the picks were most of
the selection page's time at chain scale. The markup is the one the template wrote; every
value is escaped as the template escaped it.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from studio.templatetags.studio import escaped

register = template.Library()


@register.simple_tag
def pass_tabs(passes, summary, current_pass) -> SafeString:
    """One tab for each pass, with how many numbers it holds."""
    return format_html_join(
        "",
        '<li class="nav-item"><a class="nav-link{}" href="?pass={}">{} '
        '<span class="badge text-bg-secondary" data-testid="count-{}">{}</span></a></li>',
        (
            (
                " active" if value == current_pass else "",
                value,
                label,
                value,
                len(summary.passes.get(value, ())),
            )
            for value, label in passes
        ),
    )


@register.simple_tag
def pick_badges(picks) -> SafeString:
    """The numbers of one pass, each with its outfit and album page; a word when none."""
    if not picks:
        return format_html(
            '<span class="text-muted">{}</span>', gettext("No photos picked in this pass yet.")
        )
    album_page = escaped(gettext("Album page"))
    outfits: dict[str, str] = {}  # a pass has a few outfits: each escaped once
    badges = []
    for p in picks:
        outfit = outfits.get(p.outfit)
        if outfit is None:
            outfit = outfits[p.outfit] = escaped(p.outfit)
        # Numbers and pages are integers: nothing in them to escape.
        number, page = int(p.number), p.album_page and int(p.album_page)
        kind = "text-bg-primary" if p.retouch else "text-bg-light border"
        if page:
            badges.append(
                f'<span class="badge {kind} fs-6" title="{outfit} · {album_page} {page}">'
                f"{number}<small> p{page}</small></span>"
            )
        else:
            badges.append(f'<span class="badge {kind} fs-6" title="{outfit}">{number}</span>')
    return mark_safe("".join(badges))  # every value above is escaped or an integer


@register.simple_tag
def select_field(bound) -> SafeString:
    """A form's <select>, as Django's widget templates draw it (the same attributes,
    options and selection, worked out by the widget), without a template per option."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    options = []
    for group_name, group_choices, _index in context["optgroups"]:
        if group_name:
            options.append(format_html('\n  <optgroup label="{}">', group_name))
        options.extend(
            format_html(
                '\n  <option value="{}"{}>{}</option>\n',
                str(option["value"]),
                _attrs(option["attrs"]),
                option["label"],
            )
            for option in group_choices
        )
        if group_name:
            options.append("\n  </optgroup>")
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        context["name"],
        _attrs(context["attrs"]),
        mark_safe("".join(options)),
    )


def _attrs(attrs) -> SafeString:
    """HTML attributes as Django's widgets/attrs.html writes them: in their order, True as
    the bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, str(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )
