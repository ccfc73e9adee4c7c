"""What the shoots app writes into ledgers and call tasks (studio.texts)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from studio import texts

from .models import Shoot

texts.define_choices("shoots.Shoot.Confirmation", Shoot.Confirmation)

PRECAUTIONS = _(
    "Men: get a haircut, shave and trim nails. "
    "Women: sleep early, drink less water the night before, wash hair."
)
_CONFIRM = _("Confirm the shoot on %(when)s; ask them to arrive at %(arrive)s.")
_BALANCE = _("The balance is due: they come 20 minutes early to pay it.")

TAKEN_AT_CHECK_IN = texts.define("shoots.taken_at_check_in", _("Taken at check-in"))
LOCKER_KEY = texts.define("shoots.locker_key", _("Locker key %(key)s"))
NO_SHOW = texts.define(
    "shoots.no_show",
    _("They missed the shoot on %(when)s: find out why and book a new date."),
)
# The confirmation call is read to the couple: in their language.
CONFIRM = texts.define(
    "shoots.confirm", format_lazy("{}\n{}", _CONFIRM, PRECAUTIONS), to_customer=True
)
CONFIRM_BALANCE_DUE = texts.define(
    "shoots.confirm_balance_due",
    format_lazy("{}\n{}\n{}", _CONFIRM, PRECAUTIONS, _BALANCE),
    to_customer=True,
)
CONFIRMATION_ANSWER = texts.define(
    "shoots.confirmation_answer", _("%(answer)s (on the shoot page)")
)
