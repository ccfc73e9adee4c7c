"""The kinds of text `orders` writes (studio.texts), rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from studio import texts

MOVED = texts.define(
    "orders.moved",
    _("Moved from %(from_branch)s to %(to_branch)s, accepted by %(by)s: %(reason)s"),
)
