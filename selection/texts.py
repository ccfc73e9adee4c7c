"""What the selection app writes into charges, the ledger and call tasks (studio.texts)."""

from django.utils.translation import gettext_lazy as _

from studio import texts

from .models import Product

texts.define_choices("selection.Product", Product)

EXTRA_PHOTOS = texts.define("selection.extra_photos", _("Extra retouched photos × %(count)s"))
EXTRA_PAGES = texts.define("selection.extra_pages", _("Extra album pages × %(count)s"))
# A line of the price list: `item` is texts.join(choice(product), size, "#photo").
LINE = texts.define("selection.line", _("%(item)s × %(count)s"))
DISCOUNT = texts.define("selection.discount", _("Selection discount, approved by %(who)s"))
# The refund's note in the ledger; `reason` is what customer service typed.
COMPENSATION_REFUND = texts.define(
    "selection.compensation_refund", _("Compensation approved by %(who)s: %(reason)s")
)
# A voucher taken off what an order owes (a negative charge), and a use given back.
VOUCHER_USED = texts.define("selection.voucher_used", _("Voucher %(code)s"))
VOUCHER_GIVEN_BACK = texts.define("selection.voucher_given_back", _("Voucher %(code)s given back"))
LOWERED_REFUND = texts.define(
    "selection.lowered_refund", _("Refund: the production list was signed again for less")
)
UPSELL_PAYMENT = texts.define("selection.upsell_payment", _("Selection upsell"))
# Read to the couple on the call: in their language.
CONFIRM = texts.define(
    "selection.confirm",
    _(
        "Confirm the selection on %(day)s at %(time)s with %(consultant)s; it takes about "
        "%(minutes)s minutes. Both of them should come, to choose together."
    ),
    to_customer=True,
)
LATE = texts.define(
    "selection.late",
    _(
        "Production of order %(order)s is not finished and is due on %(due)s. Check with "
        "production; if it will slip, call the couple before they find out, apologise and "
        "agree a new date."
    ),
)
