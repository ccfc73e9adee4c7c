import functools
import zoneinfo
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractDay, ExtractMonth
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from . import roles
from .prepared import planned_once
from .products import COVERS_PRODUCTS, Included
from .validators import (
    DEFAULT_AMOUNT_CEILING,
    PhoneField,
    validate_amount_under_default_ceiling,
    validate_birthday,
    validate_sane_date,
)

TIMEZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


# The model of a queryset kept generic, so that each model's manager returns its own rows.
_M = TypeVar("_M", bound=models.Model)


class KeptRecord(Exception):
    """Raised on deleting a record the studio must keep (orders, customers, shoots, ...)."""


class KeptQuerySet(models.QuerySet[_M]):
    def delete(self):
        raise KeptRecord(_("This record must be kept; it cannot be deleted."))


class Kept(models.Model):
    """Records that must be kept (DOMAIN.md): cancelled, moved or corrected through their
    services, never deleted, from the admin or from code."""

    objects = KeptQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise KeptRecord(_("This record must be kept; it cannot be deleted."))


class Branch(models.Model):
    """One store of the chain (门店). Rules that differ from store to store live here."""

    code = models.SlugField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = PhoneField(_("store phone"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Asia/Shanghai"
    )
    pay_in_full_before_shoot = models.BooleanField(
        _("package paid in full before the shoot"),
        default=True,
        help_text=_("When on, check-in on the shooting day needs a zero balance."),
    )
    discount_limit = models.DecimalField(
        _("discount limit without a manager"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("500.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    locker_deposit = models.DecimalField(
        _("locker key deposit"), max_digits=8, decimal_places=2, default=Decimal("100.00")
    )
    daily_shoot_capacity = models.PositiveSmallIntegerField(_("shoots per day"), default=8)
    amount_ceiling = models.DecimalField(
        _("largest amount of one entry"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_AMOUNT_CEILING,
        validators=[MinValueValidator(Decimal("1"))],
        help_text=_(
            "No payment, price, deposit or discount typed in at this branch may be larger: "
            "a guard against a slip of the finger."
        ),
    )

    # What customers read (a message's signature, "from 徐汇店"), one per language, without
    # the bilingual label staff see (docs/decisions.md, "Texts the customer receives").
    customer_name_zh = models.CharField(
        _("name for customers (Chinese)"), max_length=40, blank=True, help_text=_("e.g. 徐汇店")
    )
    customer_name_en = models.CharField(
        _("name for customers (English)"),
        max_length=40,
        blank=True,
        help_text=_("e.g. Xuhui Store"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def name_for_customer(self, language: str) -> str:
        """The branch's name as a customer reading `language` sees it."""
        return customer_facing(self, language) or self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self):
        return timezone.localdate(timezone=self.tzinfo)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The start of `day` in the branch's time zone and the start of the next day."""
        start = datetime.combine(day, time.min, tzinfo=self.tzinfo)
        return start, start + timedelta(days=1)


class StaffQuerySet(models.QuerySet["Staff"]):
    def colleagues(self) -> "StaffQuerySet":
        """People who can be chosen for work: active, with at least one role. A superuser
        account without a role (the chain's IT admin) is nobody's colleague and appears in
        no list of staff."""
        return self.filter(is_active=True, user__is_active=True, user__groups__isnull=False)

    def signed_in(self, user: Any) -> "Staff | None":
        """The active staff member of a signed-in `user`, with their roles and branches read
        in the same query: every request needs all three (BranchMiddleware). The query has
        a row per role and branch, one or a few, each with the branch's fields. (A session
        signed in through studio.backends.StaffBackend has them read with the user.)"""
        sql, staff_fields, branch_fields = _signed_in_query()
        with planned_once(self.db) as cursor:  # every request runs it
            cursor.execute(sql, [user.pk])
            rows = cursor.fetchall()
        return _staff_of(self.db, user, rows, 0, staff_fields, branch_fields)

    def user_signed_in(self, user_id: Any) -> Any:
        """The user with this id, or None; the user's active staff member, with roles and
        branches, in `user.signed_in_staff` (None when there is none): what
        `signed_in` reads, read in the same query as the user."""
        sql, user_fields, staff_fields, branch_fields = _user_signed_in_query()
        with planned_once(self.db) as cursor:  # every request runs it
            cursor.execute(sql, [user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        user_model = get_user_model()
        user = user_model.from_db(self.db, user_fields, rows[0][: len(user_fields)])
        staff_at = len(user_fields)
        active = rows[0][staff_at + staff_fields.index("is_active")]
        user.signed_in_staff = (
            _staff_of(self.db, user, rows, staff_at, staff_fields, branch_fields)
            if active
            else None
        )
        return user


def _staff_of(db, user, rows, start, staff_fields, branch_fields) -> "Staff | None":
    """The staff member in `rows` (from column `start`: the staff's fields, a role, the
    branch's fields), with their role set and branches."""
    if not rows:
        return None
    width = len(staff_fields)
    staff = Staff.from_db(db, staff_fields, rows[0][start : start + width])
    staff.user = user
    role_at = start + width
    staff.role_set = frozenset(row[role_at] for row in rows if row[role_at])
    pk_at = branch_fields.index(Branch._meta.pk.attname)
    own: dict[int, Branch] = {}
    for row in rows:
        values = row[role_at + 1 :]
        if values[pk_at] is not None and values[pk_at] not in own:
            own[values[pk_at]] = Branch.from_db(db, branch_fields, values)
    staff.own_branches = list(own.values())
    if not user.is_superuser:  # who works at every branch: read when asked
        staff.branch_ids = frozenset(own)
    return staff


@functools.cache
def _user_signed_in_query() -> tuple[str, list[str], list[str], list[str]]:
    """The SQL of `user_signed_in`, made by the ORM once per process: the user's fields,
    then `_signed_in_query`'s columns, reached from the user (empty without a staff
    member). The user's id is its one parameter."""
    user_model = get_user_model()
    user_fields = [f.attname for f in user_model._meta.concrete_fields]
    staff_fields = [f.attname for f in Staff._meta.concrete_fields]
    branch_fields = [f.attname for f in Branch._meta.concrete_fields]
    sql, params = (
        user_model._default_manager.filter(pk=-1)
        .values_list(
            *user_fields,
            *(f"staff__{n}" for n in staff_fields),
            "groups__name",
            *(f"staff__branches__{n}" for n in branch_fields),
        )
        .order_by("staff__branches__code")
        .query.sql_with_params()
    )
    if list(params) != [-1]:
        raise ImproperlyConfigured(f"user_signed_in's query has other parameters: {params}")
    return sql, user_fields, staff_fields, branch_fields


@functools.cache
def _signed_in_query() -> tuple[str, list[str], list[str]]:
    """The SQL of `signed_in`, made by the ORM once per process: on every request,
    compiling it took longer than running it. The user is its one parameter."""
    staff_fields = [f.attname for f in Staff._meta.concrete_fields]
    branch_fields = [f.attname for f in Branch._meta.concrete_fields]
    sql, params = (
        Staff.objects.filter(user_id=-1, is_active=True)
        .values_list(
            *staff_fields, "user__groups__name", *(f"branches__{n}" for n in branch_fields)
        )
        .order_by("branches__code")
        .query.sql_with_params()
    )
    if list(params) != [-1]:
        raise ImproperlyConfigured(f"signed_in's query has other parameters: {params}")
    return sql, staff_fields, branch_fields


class Staff(models.Model):
    """A person working for the chain. Roles are the user's groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    display_name = models.CharField(_("name"), max_length=60)
    branches = models.ManyToManyField(Branch, related_name="staff", verbose_name=_("branches"))
    # Never shown to customers (seed 001: 严禁将服务人员的电话号码告诉客户).
    personal_phone = PhoneField(_("personal phone"), blank=True)
    # How customers know them (小李, Lily), per language: never the name with the role
    # staff see on the rota.
    customer_name_zh = models.CharField(
        _("name for customers (Chinese)"), max_length=30, blank=True, help_text=_("e.g. 小李")
    )
    customer_name_en = models.CharField(
        _("name for customers (English)"), max_length=30, blank=True, help_text=_("e.g. Lily")
    )
    is_active = models.BooleanField(pgettext_lazy("staff member", "active"), default=True)

    objects = StaffQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["branches"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def name_for_customer(self, language: str) -> str:
        """The staff member's name as a customer reading `language` knows them."""
        return customer_facing(self, language) or self.display_name

    @cached_property
    def role_set(self):
        return frozenset(self.user.groups.values_list("name", flat=True))

    def has_role(self, *names):
        return self.user.is_superuser or bool(self.role_set.intersection(names))

    @property
    def is_manager(self):
        return self.has_role(roles.MANAGER)

    @property
    def sees_money(self):
        return self.has_role(*roles.SEES_MONEY)

    @property
    def sees_contacts(self):
        return self.has_role(*roles.CALLS_CUSTOMERS)

    @property
    def opens_customer_files(self):
        """Field staff see the couple's notes for the shoot, never the customer file."""
        return self.has_role(*roles.OFFICE)

    @property
    def works_in_the_field_only(self):
        return not self.opens_customer_files

    @property
    def books_shoots(self):
        return self.has_role(*roles.BOOKS_SHOOTS)

    @cached_property
    def own_branches(self) -> list[Branch]:
        """The branches they work at, by code (`Staff.objects.signed_in` reads them along)."""
        return list(self.branches.order_by("code"))

    @cached_property
    def branch_ids(self):
        if self.user.is_superuser:
            return frozenset(Branch.objects.values_list("pk", flat=True))
        return frozenset(self.branches.values_list("pk", flat=True))

    def role_labels(self):
        return [roles.LABELS[r] for r in roles.ALL if r in self.role_set]


def customer_facing(obj: Any, language: str) -> str:
    """`obj.customer_name_zh` or `customer_name_en`, for a language code ("zh-hans", "en")."""
    field = "customer_name_zh" if language.startswith("zh") else "customer_name_en"
    return getattr(obj, field)


class Gender(models.TextChoices):
    """A person's gender, when the couple told us: the studio's scripts greet a bride and a
    groom differently (seed 001); unknown gets the neutral text."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


def couple_name(bride_name: str, groom_name: str) -> str:
    """How a couple is written everywhere (their names joined by " & "): `str(customer)`,
    and list pages that read the two names without building the customer."""
    return " & ".join(n for n in (bride_name, groom_name) if n)


class Customer(Kept):
    """A couple: the bride and the groom, filed at one branch and owned by one staff member."""

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral by a customer")
        ONLINE = "online", _("Online platform")
        WALK_BY = "walk_by", _("Walked by")
        FAIR = "fair", _("Wedding fair")
        SOCIAL = "social", _("Social media")
        RETURNING = "returning", _("Returning customer")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        NONE = "none", _("No card")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")
        DIAMOND = "diamond", _("Diamond")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="customers", verbose_name=_("branch")
    )
    owner = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="owned_customers",
        null=True,
        blank=True,
        verbose_name=_("owner"),
    )
    bride_name = models.CharField(_("bride's name"), max_length=60, blank=True)
    bride_phone = PhoneField(_("bride's phone"), blank=True)
    bride_birthday = models.DateField(
        _("bride's birthday"), null=True, blank=True, validators=[validate_birthday]
    )
    # The birthday is always the solar date of birth; with this flag the greeting comes on
    # the lunar birthday (docs/decisions.md, "Lunar calendar").
    bride_birthday_is_lunar = models.BooleanField(_("lunar birthday"), default=False)
    # The two persons of the couple are the "bride" and "groom" fields; their gender is
    # optional and only chooses a message's variant (followups.MessageTemplate.gender).
    bride_gender = models.CharField(
        _("bride's gender"), max_length=6, choices=Gender.choices, blank=True
    )
    groom_name = models.CharField(_("groom's name"), max_length=60, blank=True)
    groom_phone = PhoneField(_("groom's phone"), blank=True)
    groom_birthday = models.DateField(
        _("groom's birthday"), null=True, blank=True, validators=[validate_birthday]
    )
    groom_birthday_is_lunar = models.BooleanField(_("lunar birthday"), default=False)
    groom_gender = models.CharField(
        _("groom's gender"), max_length=6, choices=Gender.choices, blank=True
    )
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    # The couple's id at the studio's WeChat Official Account (they follow it): template
    # messages go there (followups.wechat). 28 letters, digits, "-" or "_".
    wechat_openid = models.CharField(
        _("WeChat OpenID"),
        max_length=40,  # the pattern below holds it to 28, with its own message
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]{28}$",
                _(
                    "A WeChat OpenID is 28 letters, digits, - or _, as the Official "
                    "Account shows it (e.g. oLVPpjqs9BhvzwPj5A-vTYAX3GLc)."
                ),
            )
        ],
        help_text=_("From the studio's WeChat Official Account, if the couple follows it."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    wedding_date = models.DateField(
        _("wedding date"), null=True, blank=True, validators=[validate_sane_date]
    )
    source = models.CharField(
        _("how they heard of us"), max_length=20, choices=Source.choices, default=Source.WALK_BY
    )
    referrer = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    membership_level = models.CharField(
        _("membership"), max_length=10, choices=Level.choices, default=Level.NONE
    )
    notes = models.TextField(_("tastes, habits and notes"), blank=True)
    language = models.CharField(
        _("language for printed documents"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="zh-hans",
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    # Set once when the couple's personal data is erased on their request (PIPL): the
    # file stays, for the orders and the ledger the law keeps, with anonymised values.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(bride_name="") | ~Q(groom_name=""),
                name="customer_has_a_name",
            ),
            models.CheckConstraint(
                condition=~Q(bride_phone="") | ~Q(groom_phone=""),
                name="customer_has_a_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["bride_phone"], name="customer_bride_phone"),
            models.Index(fields=["groom_phone"], name="customer_groom_phone"),
            # The lunar-birthday greeting asks by dates of birth (followups.triggers).
            models.Index(
                fields=["bride_birthday"],
                condition=Q(bride_birthday_is_lunar=True),
                name="customer_bride_lunar_birthday",
            ),
            models.Index(
                fields=["groom_birthday"],
                condition=Q(groom_birthday_is_lunar=True),
                name="customer_groom_lunar_birthday",
            ),
            # The birthday and anniversary greetings ask by month and day (followups.triggers),
            # as `__month` and `__day` lookups spell them: an expression index, not a kept
            # column (nothing to keep in step, no table rewrite, no change to the rows).
            *(
                models.Index(
                    ExtractMonth(field), ExtractDay(field), name=f"customer_{name}_month_day"
                )
                for field, name in (
                    ("bride_birthday", "bride"),
                    ("groom_birthday", "groom"),
                    ("wedding_date", "wedding"),
                )
            ),
            # The as-you-type search's PostgreSQL indexes (phone prefixes, trigram and
            # prefix name search) are created in migration 0005: SQLite has none of them.
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["created_at", "branch"], name="customer_created"),
        ]

    def __str__(self):
        return couple_name(self.bride_name, self.groom_name)

    @property
    def phones(self):
        return [p for p in (self.bride_phone, self.groom_phone) if p]

    def gender_at(self, phone: str) -> str:
        """The gender of the person whose phone this is ("" when unknown or the couple's)."""
        if phone and phone == self.bride_phone:
            return self.bride_gender
        if phone and phone == self.groom_phone:
            return self.groom_gender
        return ""


class ConsentPurpose(models.TextChoices):
    """What a customer may agree to be contacted for (PIPL: consent per purpose)."""

    MARKETING = "marketing", _("Offers and promotions")
    CARE = "care", _("Greetings (birthdays, anniversaries, holidays)")


class ConsentChannel(models.TextChoices):
    """How they may be contacted for it. The message channels share these values."""

    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    CALL = "call", _("Phone call")
    LETTER = "letter", _("Printed letter")


class ImmutableConsent(Exception):
    """Raised on changing a recorded consent event: record a new one instead."""


class ConsentQuerySet(KeptQuerySet["ConsentEvent"]):
    def update(self, **kwargs):
        raise ImmutableConsent(_("Consent records cannot be changed; record a new one."))


class ConsentEvent(Kept):
    """A customer granted or withdrew consent for one purpose on one channel (PIPL): when,
    how (the source) and who recorded it. Rows are never changed: the consent in force is
    the latest row per (customer, purpose, channel) (`studio.selectors.consents_of`)."""

    class Source(models.TextChoices):
        FRONT_DESK = "front_desk", _("Front desk form")
        PAPER_FORM = "paper_form", _("Signed paper form")
        SMS_REPLY = "sms_reply", _("SMS reply")
        WECHAT = "wechat", _("WeChat")
        SELF_SERVICE = "self_service", _("The customer's own page")
        MIGRATED = "migrated", _("Migrated from the old yes/no")
        ERASURE = "erasure", _("Personal data erased on request")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="consent_events",
        verbose_name=_("customer"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ConsentChannel.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-pk"]
        indexes = [
            # The latest row per customer, purpose and channel: one index probe each.
            models.Index(fields=["customer", "purpose", "channel", "-id"], name="consent_latest"),
            # The admin lists in this order.
            models.Index(fields=["at"], name="consent_at"),
        ]

    def __str__(self):
        verb = _("granted") if self.granted else _("withdrew")
        return (
            f"{self.customer}: {verb} {self.get_purpose_display()} / {self.get_channel_display()}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableConsent(_("Consent records cannot be changed; record a new one."))
        super().save(*args, **kwargs)


class DataRequest(Kept):
    """The audit of a customer's personal-data request: who exported or erased the file,
    and when (PIPL)."""

    class Kind(models.TextChoices):
        EXPORT_JSON = "export_json", _("Exported (JSON)")
        EXPORT_PDF = "export_pdf", _("Exported (PDF)")
        ERASURE = "erasure", _("Erased")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"], name="datarequest_at")]
        constraints = [
            # Erased once: a double submit finds the first erasure.
            models.UniqueConstraint(
                fields=["customer"], condition=Q(kind="erasure"), name="one_erasure_per_customer"
            )
        ]

    def __str__(self):
        return f"{self.customer}: {self.get_kind_display()}"


class Package(models.Model):
    """A package (套系) from the catalogue."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    branches = models.ManyToManyField(
        Branch, related_name="packages", blank=True, verbose_name=_("sold at")
    )
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[validate_amount_under_default_ceiling],
    )
    floor_price = models.DecimalField(
        _("lowest price allowed"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("No order may be signed below this price, even with a manager."),
    )
    outfits = models.PositiveSmallIntegerField(_("outfits"), default=3)
    indoor_scenes = models.PositiveSmallIntegerField(_("indoor scenes"), default=1)
    outdoor_scenes = models.PositiveSmallIntegerField(_("outdoor scenes"), default=0)
    retouched_photos = models.PositiveSmallIntegerField(_("retouched photos"), default=30)
    album_pages = models.PositiveSmallIntegerField(_("album pages"), default=20)
    contents_note = models.TextField(
        _("notes on the contents"),
        blank=True,
        help_text=_(
            "Free text shown beside the lines (what the package said before its contents "
            "were lines). The selection charges by the lines, never by this note."
        ),
    )
    wedding_day_makeup = models.BooleanField(_("wedding-day bridal makeup"), default=False)
    wedding_day_dress = models.BooleanField(_("wedding-day dress lending"), default=False)
    is_signature = models.BooleanField(_("signature package"), default=False)
    is_active = models.BooleanField(_("on sale"), default=True)
    photo = models.ImageField(_("photo"), upload_to="packages/", blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(m2m_fields=["branches"])

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["-is_signature", "price"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_price__lte=models.F("price")), name="package_floor_below_price"
            ),
        ]

    def __str__(self):
        return self.name


class PackageLine(models.Model):
    """One thing a package includes besides its retouched photos and album pages: an
    enlargement of a size, a frame, prints, a service such as a second makeup. The
    selection covers the couple's choices with these lines and charges only the rest."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="lines", verbose_name=_("package")
    )
    kind = models.CharField(_("what"), max_length=20, choices=Included.choices)
    size = models.CharField(
        _("size"),
        max_length=20,
        blank=True,
        help_text=_('e.g. 24"; as written in the price list. Empty: any size.'),
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    name = models.CharField(
        _("name"), max_length=60, blank=True, help_text=_("Only for “Other”: what it is.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("package line")
        verbose_name_plural = _("package lines")
        ordering = ["package", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "kind", "size", "name"], name="package_line_once"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="package_line_quantity"),
        ]

    def __str__(self):
        return f"{self.label} × {self.quantity}"

    def clean(self):
        if self.kind == Included.OTHER and not self.name.strip():
            raise ValidationError({"name": _("Say what this line includes.")})

    @property
    def label(self) -> str:
        """The line in the reader's language; "Other" is its name as typed."""
        if self.kind == Included.OTHER:
            return self.name
        return " ".join(p for p in (str(Included(self.kind).label), self.size) if p)

    def covers(self, product: str, size: str) -> bool:
        """Whether the couple's choice of `product` in `size` may use this line up."""
        return self.kind in COVERS_PRODUCTS and self.kind == product and self.size in ("", size)


class WorkerHeartbeat(models.Model):
    """Written by the periodic heartbeat task: proves the worker and beat are alive."""

    name = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField()
    beats = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class Rota(models.Model):
    """Today's order-taking rota at a branch (轮流接单表): who takes walk-ins, in turn.

    `last_position` is the turn pointer; the row is locked while the next taker is chosen,
    so two walk-ins registered at the same moment go to two different takers.
    """

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="rotas", verbose_name=_("branch")
    )
    day = models.DateField(_("day"))
    last_position = models.IntegerField(default=-1)
    set_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("order-taking rota")
        verbose_name_plural = _("order-taking rotas")
        constraints = [models.UniqueConstraint(fields=["branch", "day"], name="one_rota_per_day")]

    def __str__(self):
        return f"{self.branch.code} {self.day}"


class RotaSlot(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="slots")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "staff"], name="rota_staff_once"),
            models.UniqueConstraint(fields=["rota", "position"], name="rota_position_once"),
        ]

    def __str__(self):
        return f"{self.position}: {self.staff}"


class Leave(models.Model):
    """A staff member away for some days, and the agent (职务代理人) who covers for them."""

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="leaves", verbose_name=_("staff member")
    )
    starts_on = models.DateField(_("first day away"))
    ends_on = models.DateField(_("last day away"))
    agent = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("agent")
    )
    message = models.CharField(
        _("what to tell the customer"),
        max_length=200,
        blank=True,
        help_text=_("For example: back on Monday; the agent looks after everything meanwhile."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(agent=models.F("staff")), name="leave_agent_is_someone_else"
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.starts_on}–{self.ends_on} → {self.agent}"


class Visit(Kept):
    """A walk-in or phone enquiry (客流登记 / 门市咨商表) and how the consultation ended."""

    class Kind(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        PHONE = "phone", _("Phone enquiry")

    class Outcome(models.TextChoices):
        BOOKED = "booked", _("Booked")
        SHOOTING_TODAY = "shooting_today", _("Booked and shooting today")
        NOT_BOOKED = "not_booked", _("Not booked")

    class NotBookedBecause(models.TextChoices):
        """Why a couple left without booking, as the desk chooses it: the kinds the managers'
        report counts (issue 14, item 8). The desk's own words stay in `not_booked_reason`."""

        PRICE = "price", _("Price or budget")
        COMPARING = "comparing", _("Still comparing other studios")
        DATE = "date", _("Date or schedule does not suit")
        STYLE = "style", _("Style or samples not to their taste")
        FAMILY = "family", _("Deciding with family")
        BROWSING = "browsing", _("Only looking for now")
        OTHER = "other", _("Other reason")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="visits", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="visits", verbose_name=_("customer")
    )
    taker = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="visits", verbose_name=_("order taker")
    )
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WALK_IN)
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    source = models.CharField(
        _("how they heard of us"),
        max_length=20,
        choices=Customer.Source.choices,
        default=Customer.Source.WALK_BY,
    )
    referrer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    reason = models.CharField(_("why they came in"), max_length=200, blank=True)
    compared_studios = models.CharField(_("other studios compared"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    packages_shown = models.ManyToManyField(
        Package, blank=True, related_name="+", verbose_name=_("packages shown")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Blank on visits closed before the choice existed: the report counts them as not recorded.
    not_booked_because = models.CharField(
        _("reason not booked"), max_length=12, choices=NotBookedBecause.choices, blank=True
    )
    not_booked_reason = models.CharField(_("why they did not book"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("consultation ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(fields=["taker", "closed_at"], name="visit_taker_open"),
            models.Index(fields=["branch", "arrived_at"], name="visit_branch_arrived"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["arrived_at", "branch"], name="visit_arrived"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="not_booked") | ~Q(not_booked_reason=""),
                name="visit_not_booked_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.customer} {self.arrived_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.closed_at is None


class DiscountApproval(Kept):
    """A manager's approval of a discount beyond the branch limit, asked for at signing and
    given from the manager's own device. The signed order records who approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a manager")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, related_name="+", verbose_name=_("package")
    )
    discount = models.DecimalField(_("discount"), max_digits=10, decimal_places=2)
    requested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("discount approval")
        verbose_name_plural = _("discount approvals")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.customer} {self.package} −{self.discount}"


class MembershipLevelRule(models.Model):
    """The chain's referral ladder (DOMAIN.md stage 8): a couple who has referred this many
    signed couples holds this card, and each referral at this level earns this reward.
    Chain-wide data a manager edits in the admin, like the care rules."""

    level = models.CharField(
        _("membership"),
        max_length=10,
        choices=[c for c in Customer.Level.choices if c[0] != Customer.Level.NONE],
        unique=True,
    )
    referrals_needed = models.PositiveSmallIntegerField(
        _("referrals needed"), validators=[MinValueValidator(1)]
    )
    reward = models.CharField(
        _("reward for each referral"),
        max_length=200,
        help_text=_("A voucher or gift, as the referrer will be told. Not money in the ledger."),
    )

    class Meta:
        verbose_name = _("membership level rule")
        verbose_name_plural = _("membership level rules")
        ordering = ["referrals_needed"]

    def __str__(self):
        return f"{self.get_level_display()} ≥ {self.referrals_needed}"


class MonthlyTarget(models.Model):
    """What a branch, or one staff member at it, aims to sign and take in a month.

    Managers set targets in the admin; the reports page sets them against the actuals.
    A target without a staff member is the branch's own.
    """

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="targets", verbose_name=_("branch")
    )
    month = models.DateField(_("month"), help_text=_("Any day of the month; kept as the 1st."))
    staff = models.ForeignKey(
        Staff,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("staff member"),
        help_text=_("Leave empty for the whole branch's target."),
    )
    deals = models.PositiveIntegerField(_("deals"), default=0)
    revenue = models.DecimalField(
        _("revenue"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        ordering = ["-month", "branch", "staff"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "month"],
                condition=Q(staff__isnull=True),
                name="one_branch_target_per_month",
            ),
            models.UniqueConstraint(
                fields=["branch", "month", "staff"],
                condition=Q(staff__isnull=False),
                name="one_staff_target_per_month",
            ),
        ]

    def __str__(self):
        who = self.staff or self.branch
        return f"{who} {self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


class CustomerChange(models.Model):
    """One change to a couple's personal data: who, what, from, to and when (DOMAIN.md:
    every change to personal data is attributable)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="changes", verbose_name=_("customer")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    field = models.CharField(_("field"), max_length=40)
    old = models.TextField(_("before"), blank=True)
    new = models.TextField(_("after"), blank=True)
    at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("change to a customer's file")
        verbose_name_plural = _("changes to customers' files")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.customer}: {self.field}"
