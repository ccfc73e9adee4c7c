"""What the pickup app writes into appointments and call tasks (studio.texts)."""

from django.utils.translation import gettext_lazy as _

from studio import texts

from .models import ItemCheck

texts.define_choices("pickup.ItemCheck.Result", ItemCheck.Result)

# Read to the couple on the call: in their language.
NOTICE = texts.define(
    "pickup.notice",
    _(
        "Your order %(order)s is ready: please come tomorrow at %(time)s and bring the "
        "pickup slip (number %(slip)s). For large items such as frames, please bring a "
        "helper."
    ),
    to_customer=True,
)
REST_OF_PARTIAL = texts.define("pickup.rest_of_partial", _("The rest of a partial pickup"))
# What the check before the pickup found, and the clerk's words, for rework.
CHECK_FOUND = texts.define("pickup.check_found", _("%(result)s: %(note)s"))
