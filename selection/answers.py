"""What the selection answers for the apps below it (STYLE.md 16), registered from
`SelectionConfig.ready()`: the Order's guards' facts (`orders.facts`) and the care rules'
triggers about selection sessions (`followups.triggers`)."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from followups.models import CareRule
from followups.triggers import FINDERS, Fact, order_fact
from orders import facts
from orders.models import Order, State

from . import selectors
from .models import SelectionSession

T = CareRule.Trigger

# --- The Order's guards: the selectors that read these facts answer them ---

facts.answers("files_ready")(selectors.files_ready)
facts.answers("selection_signed")(selectors.selection_signed)
facts.answers("upsell_settled")(selectors.upsell_settled)
facts.answers("change_window_open")(selectors.change_window_open)
facts.answers("change_window_waived")(selectors.change_window_waived)
facts.answers("all_items_passed_qc")(selectors.all_items_passed_qc)
facts.answers("all_items_handed_over")(selectors.all_items_handed_over)


# --- The care rules' triggers ---


def _sessions(since: datetime, until: datetime) -> QuerySet[SelectionSession]:
    return (
        SelectionSession.objects.filter(appointment_at__gte=since, appointment_at__lte=until)
        .exclude(order__state=State.CANCELLED)
        .select_related("order__customer__branch", "order__owner")
    )


@FINDERS.answers(T.SELECTION_UPCOMING)
def selection_upcoming(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    sessions = _sessions(since, until).filter(signed_at__isnull=True)
    return [order_fact(s.order, s.appointment_at, upcoming=True) for s in sessions]


@FINDERS.answers(T.SELECTION_DONE)
def selection_done(since: datetime, until: datetime, now: datetime) -> list[Fact]:
    sessions = _sessions(since, until).filter(signed_at__isnull=False)
    return [order_fact(s.order, s.appointment_at) for s in sessions]


# --- A transfer between branches (orders.facts.BOOKINGS) ---


@facts.answers_bookings("future_selection_appointments")
def future_selection_appointments(orders: list[Order], now: datetime) -> list[str]:
    sessions = SelectionSession.objects.filter(
        order__in=orders, appointment_at__gte=now, signed_at__isnull=True
    ).select_related("order__branch")
    return [
        _("Order %(order)s: selection appointment on %(when)s")
        % {
            "order": s.order.number,
            "when": date_format(
                localtime(s.appointment_at, s.order.branch.tzinfo), "SHORT_DATETIME_FORMAT"
            ),
        }
        for s in sessions.order_by("appointment_at")
    ]
