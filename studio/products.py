"""What the studio makes and sells item by item, named once for the whole chain.

The catalogue's packages (studio.Package) say which of these they include; the selection
(a stage app above) prices them per branch and charges only what goes beyond the package
(docs/decisions.md, "Package contents").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.TextChoices):
    """What the studio sells item by item (单项计价) and what production makes."""

    EXTRA_PHOTO = "extra_photo", _("Extra retouched photo")
    EXTRA_PAGE = "extra_page", _("Extra album page")
    ENLARGEMENT = "enlargement", _("Enlargement")
    FRAME = "frame", _("Frame")
    CRYSTAL = "crystal", _("Crystal")
    USB = "usb", _("Image files on USB")
    RETOUCHED_PHOTOS = "retouched", _("Retouched photos")
    ALBUM = "album", _("Album")


class Included(models.TextChoices):
    """What a package's line may include besides its retouched photos and album pages.

    The products share their value with `Product`, so a line covers the price-list items
    of that product; the services are done, not made (DOMAIN.md, stage 2)."""

    ENLARGEMENT = Product.ENLARGEMENT.value, Product.ENLARGEMENT.label
    FRAME = Product.FRAME.value, Product.FRAME.label
    CRYSTAL = Product.CRYSTAL.value, Product.CRYSTAL.label
    USB = Product.USB.value, Product.USB.label
    PRINT = "print", _("Prints")
    SECOND_MAKEUP = "second_makeup", _("Second makeup")
    EXTRA_OUTFIT = "extra_outfit", _("Extra outfit")
    OTHER = "other", _("Other")


# Lines that a product of the selection's price list may use up.
COVERS_PRODUCTS = frozenset({Included.ENLARGEMENT, Included.FRAME, Included.CRYSTAL, Included.USB})
