"""What the pickup app writes into appointments and call tasks (studio.texts)."""

from django.utils.translation import gettext_lazy as _

from studio import texts

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
