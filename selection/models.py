import uuid
from datetime import timedelta
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from followups.models import CallTask, Complaint
from orders.models import AppendOnly, Charge, LedgerEntry, Order
from studio import texts as studio_texts
from studio.models import Branch, Customer, Kept, Staff
from studio.products import Product as Product  # the chain's products, named in the core
from studio.request_keys import key_column
from studio.templatetags.studio import money
from studio.validators import check_branch_amounts

# How long a selection session lasts when the branch has not set its own.
DEFAULT_SESSION_MINUTES = 120
# Days from the signed production list to the finished products, unless the branch says
# otherwise or a pickup is booked.
DEFAULT_PRODUCTION_DAYS = 20
ZERO = Decimal("0.00")


class SessionLength(models.Model):
    """How long a selection session lasts at a branch: the consultant is held that long."""

    branch = models.OneToOneField(
        Branch, on_delete=models.CASCADE, related_name="selection_session_length",
        verbose_name=_("branch"),
    )  # fmt: skip
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=DEFAULT_SESSION_MINUTES, validators=[MinValueValidator(15)]
    )

    class Meta:
        verbose_name = _("selection session length")
        verbose_name_plural = _("selection session lengths")

    def __str__(self):
        return f"{self.branch.code}: {self.minutes}"


class ProductionLeadTime(models.Model):
    """How many days production takes at a branch, when no pickup is booked yet."""

    branch = models.OneToOneField(
        Branch, on_delete=models.CASCADE, related_name="production_lead_time",
        verbose_name=_("branch"),
    )  # fmt: skip
    days = models.PositiveSmallIntegerField(
        _("days"), default=DEFAULT_PRODUCTION_DAYS, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("production lead time")
        verbose_name_plural = _("production lead times")

    def __str__(self):
        return f"{self.branch.code}: {self.days}"


# What can be priced in the catalogue; the last two are made, never sold alone.
PRICED = [
    Product.EXTRA_PHOTO,
    Product.EXTRA_PAGE,
    Product.ENLARGEMENT,
    Product.FRAME,
    Product.CRYSTAL,
    Product.USB,
]
# Products a consultant adds to the list (photos and pages come from the picks).
ADDED = [Product.ENLARGEMENT, Product.FRAME, Product.CRYSTAL, Product.USB]

# The catalogue a branch starts with, in CNY: (product, size, price).
DEFAULT_PRICES = [
    (Product.EXTRA_PHOTO, "", Decimal("100.00")),
    (Product.EXTRA_PAGE, "", Decimal("200.00")),
    (Product.ENLARGEMENT, '16"', Decimal("380.00")),
    (Product.ENLARGEMENT, '20"', Decimal("580.00")),
    (Product.ENLARGEMENT, '24"', Decimal("880.00")),
    (Product.ENLARGEMENT, '30"', Decimal("1280.00")),
    (Product.FRAME, "", Decimal("300.00")),
    (Product.CRYSTAL, "", Decimal("680.00")),
    (Product.USB, "", Decimal("800.00")),
]


class PriceItem(models.Model):
    """One line of a branch's price list for the selection upsell (单项计价)."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="price_items", verbose_name=_("branch")
    )
    product = models.CharField(
        _("product"), max_length=20, choices=[(p.value, p.label) for p in PRICED]
    )
    size = models.CharField(_("size"), max_length=20, blank=True, help_text=_('e.g. 24"'))
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    is_active = models.BooleanField(_("on sale"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price item")
        verbose_name_plural = _("price items")
        ordering = ["branch", "product", "price"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "product", "size"], name="price_item_per_branch"
            ),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="price_not_negative"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        check_branch_amounts(self, "price")

    @property
    def label(self):
        name = Product(self.product).label
        return f"{name} {self.size}" if self.size else str(name)

    def label_param(self, photo_number=None):
        """The label as a parameter of a stored text (studio.texts): written in the
        language of whoever reads it."""
        return studio_texts.join(
            studio_texts.choice(Product(self.product)),
            self.size,
            f"#{photo_number}" if photo_number else "",
        )


class SelectionSession(models.Model):
    """The couple's photo selection for one order (看样), and the facts its guards need."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="selection")
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_ends_at = models.DateTimeField(_("appointment ends"), null=True, blank=True)
    consultant = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selection consultant"),
    )
    photo_count = models.PositiveIntegerField(_("photos taken"), default=0)
    files_transferred_at = models.DateTimeField(_("image files transferred"), null=True, blank=True)
    files_complete = models.BooleanField(_("image files checked complete"), default=False)
    # When the couple was last sent their link to mark favourites at home, every uploaded
    # photo having its previews, and the newest photo (by id) they were told about: photos
    # after it are a new batch, announced when ready (selection.photos.announce_photos_ready).
    photos_ready_at = models.DateTimeField(_("photos ready, couple told"), null=True, blank=True)
    photos_announced_through = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("production list signed"), null=True, blank=True)
    upsell_settled = models.BooleanField(_("upsell paid or recorded as owed"), default=False)
    change_window_waived = models.BooleanField(
        _("customer waived the 3-hour window"), default=False
    )
    upsell_discount = models.DecimalField(
        _("upsell discount"), max_digits=10, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    upsell_discount_approved_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("upsell discount approved by"),
    )  # fmt: skip
    signed_by_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("production list taken by"),
    )  # fmt: skip
    # The key of the form that booked the appointment last (studio.request_keys).
    request_key = key_column(editable=False)
    booked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("booked by"),
    )  # fmt: skip
    files_checked_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("image files checked by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        indexes = [
            models.Index(fields=["consultant", "appointment_at"], name="selection_consultant_at"),
            # The branch's day (Today, the viewing sheet): by the time, then the order's branch.
            models.Index(fields=["appointment_at"], name="selection_appointment_at"),
            # The reports' selections done in a day or month, then the order's branch.
            models.Index(fields=["signed_at"], name="selection_signed_at"),
        ]

    def __str__(self):
        return str(self.order)

    @property
    def change_window_ends(self):
        if self.signed_at is None:
            return None
        return self.signed_at + timedelta(hours=settings.STUDIO_REOPEN_WINDOW_HOURS)

    def change_window_open(self, now=None):
        ends = self.change_window_ends
        return ends is not None and (now or timezone.now()) <= ends


class Pick(models.Model):
    """A photo number the couple chose in one pass of the session (first look, keep the
    good ones, confirm). The confirmed pass is the production list's photos."""

    class Pass(models.TextChoices):
        FIRST_LOOK = "first", _("First look")
        KEEP = "keep", _("Keep")
        CONFIRMED = "confirmed", pgettext_lazy("selection pass", "Confirmed")

    session = models.ForeignKey(SelectionSession, on_delete=models.CASCADE, related_name="picks")
    number = models.PositiveIntegerField(_("photo number"), validators=[MinValueValidator(1)])
    pass_kind = models.CharField(_("pass"), max_length=10, choices=Pass.choices)
    outfit = models.CharField(_("outfit"), max_length=40, blank=True)
    retouch = models.BooleanField(_("retouch"), default=True)
    album_page = models.PositiveSmallIntegerField(
        _("album page"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    picked_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    picked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "pass_kind", "number"], name="pick_once_per_pass"
            )
        ]

    def __str__(self):
        return f"{self.session} #{self.number} ({self.get_pass_kind_display()})"


class ProductLine(models.Model):
    """A product the couple adds at the selection: an enlargement of one photo, a frame,
    a crystal, the image files on USB. Priced from the branch's price list."""

    session = models.ForeignKey(
        SelectionSession, on_delete=models.CASCADE, related_name="product_lines"
    )
    price_item = models.ForeignKey(
        PriceItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    photo_number = models.PositiveIntegerField(_("photo number"), null=True, blank=True)
    added_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.price_item} × {self.quantity}"


class LoweredUpsell(models.Model):
    """A reopened production list signed again for less than the couple had paid: the
    difference waits for the cashier, who refunds it through the ledger or keeps it as a
    credit on the order (issue 14, item 7). Decided once; a refund is never more than the
    difference."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the cashier")
        REFUNDED = "refunded", _("Refunded")
        KEPT = "kept", _("Kept as credit on the order")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="lowered_upsells", verbose_name=_("order")
    )
    amount = models.DecimalField(
        _("difference"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    created_at = models.DateTimeField(_("signed for less"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    refunded = models.DecimalField(
        _("refunded"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    refund_entry = models.OneToOneField(
        "orders.LedgerEntry", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("refund"),
    )  # fmt: skip
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("lowered selection total")
        verbose_name_plural = _("lowered selection totals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One difference waits per order: a list signed again adds to it.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(decision="pending"),
                name="one_pending_lowered_upsell",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, refunded__gte=0, refunded__lte=models.F("amount")),
                name="lowered_upsell_refund_within_difference",
            ),
        ]

    def __str__(self):
        return f"{self.order}: {self.amount}"

    @property
    def kept(self) -> Decimal:
        return self.amount - self.refunded if self.decision != self.Decision.PENDING else ZERO


class ProductionItem(models.Model):
    """One product to make for an order: album, enlargement, frame, crystal, USB…"""

    class Stage(models.TextChoices):
        RETOUCH = "retouch", _("Retouch")
        DESIGN = "design", _("Design")
        PRINT = "print", _("Print / bind")
        QC = "qc", _("Quality control")
        DONE = "done", _("Done")
        REWORK = "rework", _("Rework")

    # The stages a one-tap "next" walks through.
    FLOW: dict[str, str] = {
        Stage.RETOUCH: Stage.DESIGN,
        Stage.DESIGN: Stage.PRINT,
        Stage.PRINT: Stage.QC,
    }
    # Where an item in rework may go back to.
    BACK_INTO_FLOW = (Stage.RETOUCH, Stage.DESIGN, Stage.PRINT)

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="production_items")
    name = models.CharField(_("item"), max_length=100)
    product = models.CharField(_("product"), max_length=20, choices=Product.choices, blank=True)
    size = models.CharField(_("size"), max_length=20, blank=True)
    photo_number = models.PositiveIntegerField(_("photo number"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    rework_reason = models.CharField(_("rework reason"), max_length=200, blank=True)
    # A reason the system composed (the pickup check's finding and the clerk's note) is a
    # kind of text (studio.texts), shown in the reader's language.
    rework_kind = models.CharField(max_length=60, blank=True, editable=False)
    rework_params = models.JSONField(default=dict, blank=True, editable=False)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.RETOUCH
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    qc_passed_at = models.DateTimeField(_("passed QC"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)

    class Meta:
        verbose_name = _("production item")
        verbose_name_plural = _("production items")
        ordering = ["pk"]
        indexes = [models.Index(fields=["qc_passed_at"], name="production_qc_passed_at")]

    def __str__(self):
        return f"{self.name} × {self.quantity}"

    @property
    def rework_text(self):
        return studio_texts.render(
            self.rework_kind, self.rework_params, fallback=self.rework_reason
        )

    @property
    def label(self):
        """The item in the reader's language; items made before products had kinds keep
        their name."""
        if not self.product:
            return self.name
        if self.product == Product.ALBUM:
            return _("Album, %(pages)s pages") % {"pages": self.pages}
        parts = [str(Product(self.product).label), self.size]
        if self.photo_number:
            parts.append(f"#{self.photo_number}")
        return " ".join(p for p in parts if p)


class ProductionStep(models.Model):
    """One move of a production item, by whom and why (a failed QC says what was wrong)."""

    item = models.ForeignKey(ProductionItem, on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(_("from"), max_length=10, choices=ProductionItem.Stage.choices)
    to_stage = models.CharField(_("to"), max_length=10, choices=ProductionItem.Stage.choices)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("production step")
        verbose_name_plural = _("production steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item}: {self.from_stage} → {self.to_stage}"


def proof_path(proof: "DesignProof", filename: str) -> str:
    """A name nobody can guess, outside any public folder: proofs are served by views that
    check who asks (the branch's staff, or the couple through their link)."""
    ext = "pdf" if proof.content_type == "application/pdf" else "jpg"
    return f"private/proofs/{proof.item.order_id}/{uuid.uuid4().hex}.{ext}"


class DesignProof(models.Model):
    """A layout the designer shows the couple before printing (看设计): an album spread or
    an enlargement's layout. The couple approves it or asks for a change on their page;
    an album goes to print only when every proof of it is approved."""

    class Decision(models.TextChoices):
        WAITING = "waiting", _("Waiting for the couple")
        APPROVED = "approved", pgettext_lazy("design proof", "Approved")
        CHANGES = "changes", _("Change asked")

    item = models.ForeignKey(
        ProductionItem, on_delete=models.PROTECT, related_name="proofs", verbose_name=_("item")
    )
    file = models.FileField(_("file"), upload_to=proof_path, max_length=200)
    content_type = models.CharField(max_length=40, editable=False)
    title = models.CharField(_("what it shows"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # Set when the couple is told the proofs are ready: before that they do not see it.
    shown_at = models.DateTimeField(_("shown to the couple"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.WAITING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    couple_note = models.CharField(_("the couple's note"), max_length=500, blank=True)
    # A proof replaced by a newer version of the same layout is no longer asked about.
    replaced = models.BooleanField(_("replaced by a newer version"), default=False)

    class Meta:
        verbose_name = _("design proof")
        verbose_name_plural = _("design proofs")
        ordering = ["item", "pk"]

    def __str__(self):
        return f"{self.item}: {self.title or self.pk}"

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class _PhotoStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["photos"]


_photos = _PhotoStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _photos._wrapped = empty


def photo_storage() -> Storage:
    """The private storage of the couples' photos (settings.STORAGES["photos"]); looked up
    when first used, like Django's default storage."""
    return cast(Storage, _photos)


class Photo(models.Model):
    """One photo of the couple's session, numbered in shooting order: the original as
    uploaded, and what the processing job makes of it (a thumbnail for the grid, a
    screen-size preview, and the watermarked preview the couple may see)."""

    session = models.ForeignKey(
        SelectionSession, on_delete=models.CASCADE, related_name="photos",
        verbose_name=_("selection"),
    )  # fmt: skip
    number = models.PositiveIntegerField(_("photo number"), validators=[MinValueValidator(1)])
    original = models.FileField(_("original"), storage=photo_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("bytes"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    orientation = models.PositiveSmallIntegerField(_("EXIF orientation"), default=1)
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    thumbnail = models.FileField(_("thumbnail"), storage=photo_storage, blank=True, max_length=200)
    preview = models.FileField(_("preview"), storage=photo_storage, blank=True, max_length=200)
    watermarked = models.FileField(
        _("watermarked preview"), storage=photo_storage, blank=True, max_length=200
    )
    processed_at = models.DateTimeField(_("previews made"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="photo_number_once"),
            models.UniqueConstraint(fields=["session", "checksum"], name="photo_file_once"),
        ]

    def __str__(self):
        return f"{self.session} #{self.number}"


class Compensation(Kept):
    """What the studio gives a couple to settle a complaint or a production delay (issue 14,
    item 6): a voucher, a free item made by production at no charge, or a refund through
    the ledger. Customer service or a manager proposes it; a store manager of the branch
    approves it (then it takes effect, once) or rejects it with a reason.

    The fields are what was given, not a sentence: pages write it in the reader's language.
    """

    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("Voucher")
        FREE_ITEM = "free_item", _("Free item")
        REFUND = "refund", _("Refund")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a manager")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="compensations",
        verbose_name=_("customer"),
    )  # fmt: skip
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="compensations",
        verbose_name=_("order"),
    )  # fmt: skip
    # What it settles: a complaint, or the call apologising for a delay.
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True,
        related_name="compensations", verbose_name=_("complaint"),
    )  # fmt: skip
    call_task = models.ForeignKey(
        CallTask, on_delete=models.PROTECT, null=True, blank=True, related_name="compensations",
        verbose_name=_("delay apology"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The voucher's value or the refund's amount.
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    expires_on = models.DateField(_("voucher valid until"), null=True, blank=True)
    voucher_code = models.CharField(_("voucher code"), max_length=24, blank=True)
    price_item = models.ForeignKey(
        PriceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("product"),
    )  # fmt: skip
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    photo_number = models.PositiveIntegerField(_("photo number"), null=True, blank=True)
    # At the desk (cash, bank card, WeChat, Alipay, transfer) or back onto the stored-value
    # card the order was paid from ("stored"): refunds go back the way the money came.
    method = models.CharField(
        _("refund method"), max_length=10, choices=LedgerEntry.METHODS, blank=True
    )
    reason = models.TextField(_("why"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    # What the approval made: the free item on the production board, the refund's entry.
    production_item = models.OneToOneField(
        ProductionItem, on_delete=models.PROTECT, null=True, blank=True,
        related_name="compensation", verbose_name=_("production item"),
    )  # fmt: skip
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True,
        related_name="compensation", verbose_name=_("refund entry"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            # The managers' list: what waits, newest first, for their branches.
            models.Index(fields=["branch", "status", "proposed_at"], name="compensation_todo"),
            models.Index(fields=["proposed_at"], name="compensation_proposed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False, call_task__isnull=True)
                | Q(complaint__isnull=True, call_task__isnull=False),
                name="compensation_settles_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="compensation_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind="voucher") | Q(amount__isnull=False, expires_on__isnull=False),
                name="compensation_voucher_has_value_and_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(kind="free_item") | Q(order__isnull=False, price_item__isnull=False),
                name="compensation_free_item_has_product",
            ),
            models.CheckConstraint(
                condition=~Q(kind="refund")
                | (Q(order__isnull=False, amount__isnull=False) & ~Q(method="")),
                name="compensation_refund_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="compensation_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="compensation_rejected_with_reason",
            ),
            # Approved: it took effect, exactly what its kind makes.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(kind="voucher", voucher_code__gt="")
                | Q(kind="free_item", production_item__isnull=False)
                | Q(kind="refund", ledger_entry__isnull=False),
                name="compensation_approved_took_effect",
            ),
            models.UniqueConstraint(
                fields=["voucher_code"],
                condition=~Q(voucher_code=""),
                name="compensation_voucher_code_once",
            ),
        ]

    def __str__(self):
        return f"{self.customer}: {self.get_kind_display()}"

    def get_absolute_url(self):
        if self.complaint_id:
            return reverse("selection:complaint_compensation", args=[self.complaint_id])
        return reverse("selection:delay_compensation", args=[self.call_task_id])

    @property
    def what(self) -> str:
        """What is given, in the reader's language."""
        if self.kind == self.Kind.VOUCHER:
            params = {
                "amount": money(self.amount),
                "date": date_format(self.expires_on, "SHORT_DATE_FORMAT"),
                "code": self.voucher_code,
            }
            if self.voucher_code:
                return _("Voucher %(code)s worth %(amount)s, valid until %(date)s") % params
            return _("Voucher worth %(amount)s, valid until %(date)s") % params
        if self.kind == self.Kind.FREE_ITEM:
            item = self.price_item.label if self.price_item else ""
            if self.photo_number:
                item = f"{item} #{self.photo_number}"
            return _("Free %(item)s × %(count)s, made at no charge") % {
                "item": item,
                "count": self.quantity,
            }
        return _("Refund of %(amount)s (%(method)s)") % {
            "amount": money(self.amount),
            "method": self.get_method_display(),
        }

    @property
    def settles(self) -> str:
        """What it settles, in the reader's language."""
        if self.complaint_id:
            return _("Complaint of %(date)s") % {
                "date": date_format(
                    timezone.localtime(self.complaint.created_at, self.branch.tzinfo),
                    "SHORT_DATE_FORMAT",
                )
            }
        return _("Apology for a delay")

    # --- A voucher's value: what its uses took, what is left (read from its VoucherUse rows) ---

    @property
    def used(self) -> Decimal:
        """What the voucher's uses took off orders, reversals deducted (`uses` prefetched by
        selection.selectors.compensations, or read here)."""
        if self.kind != self.Kind.VOUCHER or self.pk is None:
            return ZERO
        return sum((use.amount for use in self.uses.all()), ZERO)

    @property
    def left(self) -> Decimal:
        if self.kind != self.Kind.VOUCHER or self.status != self.Status.APPROVED:
            return ZERO
        return max((self.amount or ZERO) - self.used, ZERO)

    def expired_on(self, day) -> bool:
        """Past its last valid day (`expires_on` is the last day it may be used)."""
        return self.expires_on is not None and day > self.expires_on

    @property
    def is_expired(self) -> bool:
        return self.expired_on(self.branch.today())


class VoucherUse(AppendOnly):
    """Part of a voucher's value taken off what one of its couple's orders owes (issue 14,
    item 6; docs/decisions.md, "Vouchers"). A voucher is not money: the order's balance
    falls by a negative charge of kind `voucher` (`charge`), and the ledger, the receipts,
    the revenue, the commissions and the fapiao never see it. What is left of a voucher is
    its value less its uses; a use made by mistake is reversed by the opposite row
    (`reverses`, with a positive charge), which gives the value back to the voucher.
    Written once by selection.services.redeem_voucher / reverse_voucher_use, under the
    voucher's lock."""

    voucher = models.ForeignKey(
        Compensation, on_delete=models.PROTECT, related_name="uses", verbose_name=_("voucher")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="voucher_uses", verbose_name=_("order")
    )
    # Where it was used: the order's branch at that moment (an order may move later).
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    # Positive: taken off the order; negative: a reversal giving it back to the voucher.
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    charge = models.OneToOneField(
        Charge, on_delete=models.PROTECT, related_name="voucher_use", verbose_name=_("charge")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("used by")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses"),
    )  # fmt: skip
    # Why a use was reversed, as staff typed it (a use itself has no words).
    note = models.CharField(_("note"), max_length=200, blank=True)
    request_key = key_column()

    cannot_change = _("Voucher uses cannot be changed; reverse the use instead.")
    cannot_delete = _("Voucher uses cannot be deleted; reverse the use instead.")

    class Meta:
        verbose_name = _("voucher use")
        verbose_name_plural = _("voucher uses")
        ordering = ["created_at", "pk"]
        constraints = [
            # A use takes value; only a reversal gives it back, and names the use it undoes.
            models.CheckConstraint(
                condition=Q(amount__gt=0, reverses__isnull=True)
                | Q(amount__lt=0, reverses__isnull=False),
                name="voucher_use_positive_or_a_reversal",
            ),
        ]

    def __str__(self):
        return f"{self.voucher.voucher_code} {self.order} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


# A note the couple leaves on a photo at home: a few words, read at the appointment.
FAVOURITE_NOTE_MAX = 200


class Favourite(models.Model):
    """A photo the couple marked at home on their own page, with the note they left on it.
    The consultant sees the marked ones as a pass at the appointment. One row per photo,
    so a double tap makes one (the photo is unique); unmarking keeps the note."""

    photo = models.OneToOneField(
        Photo, on_delete=models.CASCADE, related_name="favourite", verbose_name=_("photo")
    )
    chosen = models.BooleanField(_("marked as a favourite"), default=True)
    note = models.CharField(_("the couple's note"), max_length=FAVOURITE_NOTE_MAX, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite from home")
        verbose_name_plural = _("favourites from home")
        ordering = ["photo"]

    def __str__(self):
        return f"{self.photo} ♥" if self.chosen else str(self.photo)
