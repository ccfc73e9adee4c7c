import string
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from orders.models import Order
from studio import lunar, texts
from studio.models import Branch, ConsentPurpose, Customer, Gender, Kept, Staff, Visit

from . import texts as care_texts


class CallTask(Kept):
    """A call to make, on a staff member's "today" list (owner first, or their agent).

    `occasion` makes every rule fire once per customer and occasion: creating the same
    occasion twice returns the first task.
    """

    class Kind(models.TextChoices):
        VISIT_FOLLOWUP = "visit_followup", _("Follow up a visit that did not book")
        URGE = "urge", _("Urge to shoot or pay the balance")
        SHOOT_CONFIRM = "shoot_confirm", _("Confirm the shoot")
        NO_SHOW = "no_show", _("Call after a no-show")
        SELECTION_CONFIRM = "selection_confirm", _("Confirm the selection appointment")
        PICKUP_NOTICE = "pickup_notice", _("Pickup notice")
        DELAY_APOLOGY = "delay_apology", _("Apologise for a delay")
        INSTALMENT = "instalment", _("Remind of an instalment due")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        FAILED = "failed", _("No answer")
        CANCELLED = "cancelled", _("Cancelled")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="call_tasks")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="call_tasks", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="call_tasks"
    )
    # The consultation a follow-up call is about: customer service reads it on their list.
    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_tasks",
        verbose_name=_("visit"),
    )
    assignee = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="call_tasks", verbose_name=_("assigned to")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occasion = models.CharField(max_length=120, unique=True)
    due_at = models.DateTimeField(_("due"))
    # The script is a kind of text and its parameters (studio.texts): words said to the
    # couple render in the customer's language, instructions in the reader's. `script` is
    # an old row's sentence.
    script = models.TextField(_("what to say"), blank=True)
    script_kind = models.CharField(max_length=60, blank=True, editable=False)
    script_params = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    outcome_kind = models.CharField(max_length=60, blank=True, editable=False)
    outcome_params = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="calltask_todo"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["due_at", "branch"], name="calltask_due"),
            # The care rules' "follow-up call failed" asks by when it was logged.
            models.Index(
                fields=["done_at"],
                condition=Q(kind="visit_followup", status="failed"),
                name="calltask_failed_followups",
            ),
        ]
        constraints = [
            # Never two open confirmation calls for one order's shoot (issue 8): the planner
            # supersedes the earlier one, a move or a cancellation cancels them.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="shoot_confirm", status="open"),
                name="one_open_shoot_confirmation_per_order",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.customer}"

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_at < timezone.now()

    @property
    def script_text(self):
        return texts.render(
            self.script_kind,
            self.script_params,
            fallback=self.script,
            customer_language=self.customer.language,
        )

    @property
    def outcome_text(self):
        return texts.render(self.outcome_kind, self.outcome_params, fallback=self.outcome)

    @property
    def script_is_customers(self):
        """The script is the words said to the couple, in their language."""
        return texts.is_to_customer(self.script_kind)


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Printed letter")


# `link` and `code` are the couple's page's private address and the code it sends by SMS;
# `amount` and `due_date` are filled by the instalment reminders (in the couple's language).
PLACEHOLDERS = (
    "couple", "taker", "owner", "store", "store_phone", "link", "code", "amount", "due_date",
)  # fmt: skip
# What a marketing SMS must say so the customer can stop them (the providers' rule, and
# PIPL's): a reply of T (or TD, N, 退订) withdraws consent (followups.receipts).
OPT_OUT_WORDS = {"zh-hans": "回T退订", "en": "Reply T to unsubscribe"}


class Purpose(models.TextChoices):
    """Why a message is sent: offers and greetings need the customer's consent for that
    purpose on the message's channel (studio.ConsentPurpose, same values); service
    notices (confirmations, pickup notices, thanks for a payment) need none."""

    SERVICE = "service", _("Service notice (no consent needed)")
    MARKETING = ConsentPurpose.MARKETING.value, ConsentPurpose.MARKETING.label
    CARE = ConsentPurpose.CARE.value, ConsentPurpose.CARE.label


class MessageTemplate(models.Model):
    """The words of one message, per language, edited by managers in the admin.

    The body takes placeholders in braces, e.g. {couple}, {taker}, {store}, {store_phone}.
    A staff member's personal phone is never one of them (seed 001).

    A template may be a branch's own (`branch`; empty: the chain's) and a variant for a
    recipient of one gender (`gender`; empty: for anyone). The text a customer receives is
    the most specific one there is (`followups.services.template_for`).
    """

    key = models.SlugField(_("key"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
        help_text=_("Empty: the chain's text, for every branch without its own."),
    )
    gender = models.CharField(
        _("for a recipient who is"),
        max_length=6,
        choices=Gender.choices,
        blank=True,
        help_text=_("Empty: for anyone. A variant for men or women where the words differ."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    body = models.TextField(
        _("text"),
        help_text=_("Placeholders in braces: {couple}, {taker}, {owner}, {store}, {store_phone}."),
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.SERVICE,
        help_text=_(
            "Offers and greetings are sent only to customers who agreed to that purpose on "
            "the template's channel; service notices need no consent."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    gateway_template_code = models.CharField(
        _("SMS gateway template code"),
        max_length=40,
        blank=True,
        help_text=_(
            "The code the SMS provider gave this template when it was registered (e.g. "
            "SMS_153055065), with the placeholders above as its named parameters."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["key", "language", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language", "gender"],
                condition=Q(branch__isnull=True),
                name="one_chain_template_per_variant",
            ),
            models.UniqueConstraint(
                fields=["key", "language", "gender", "branch"],
                condition=Q(branch__isnull=False),
                name="one_branch_template_per_variant",
            ),
        ]

    def __str__(self):
        variant = f", {self.gender}" if self.gender else ""
        return f"{self.key} ({self.language}{variant})"

    @property
    def marketing(self):
        """Needs consent (an offer or a greeting), as opposed to a service notice."""
        return self.purpose != Purpose.SERVICE

    def clean(self):
        if not template_is_valid(self.body):
            names = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
            raise ValidationError(
                {
                    "body": _("Use only these placeholders, each in braces: %(names)s.")
                    % {"names": names}
                }
            )
        words = OPT_OUT_WORDS.get(self.language)
        if self.marketing and self.channel == Channel.SMS and words and words not in self.body:
            raise ValidationError(
                {
                    "body": _(
                        'A marketing SMS must tell the customer how to stop them: add "%(words)s".'
                    )
                    % {"words": words}
                }
            )

    def render(self, context):
        """The text for one customer. A body that slipped past `clean` raises ValueError."""
        if not template_is_valid(self.body):
            raise ValueError(f"Template {self} has an unknown or malformed placeholder.")
        return self.body.format_map(dict.fromkeys(PLACEHOLDERS, "") | context)

    def parameters(self, context):
        """The named values the text uses, for gateways that send a registered template code
        with parameters instead of the text (Chinese SMS providers)."""
        if not template_is_valid(self.body):
            raise ValueError(f"Template {self} has an unknown or malformed placeholder.")
        values = dict.fromkeys(PLACEHOLDERS, "") | context
        return {name: str(values[name]) for name in self.parameter_names()}

    def parameter_names(self):
        """The placeholders the text uses, once each, in the order it uses them (the order
        of a positional gateway template's {1}, {2}...)."""
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(self.body)]
        return list(dict.fromkeys(name for name in names if name))


def template_is_valid(body):
    """Only plain {name} placeholders we know: no attribute access, no format specs."""
    try:
        fields = list(string.Formatter().parse(body))
    except ValueError:
        return False
    return all(
        name is None or (name in PLACEHOLDERS and not spec and conversion is None)
        for _text, name, spec, conversion in fields
    )


class SmsProvider(models.TextChoices):
    ALIBABA = "alibaba", _("Alibaba Cloud SMS")
    TENCENT = "tencent", _("Tencent Cloud SMS")


class SmsSignature(models.Model):
    """A branch's SMS gateway: the provider it sends through and its SMS signature (签名),
    registered with that provider (Chinese gateways send only a registered signature with a
    registered template, never free text). The provider's credentials come from the
    environment only (docs/decisions.md, "Messages")."""

    branch = models.OneToOneField(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    provider = models.CharField(
        _("SMS provider"),
        max_length=10,
        choices=SmsProvider.choices,
        default=SmsProvider.ALIBABA,
    )
    sign_name = models.CharField(
        _("signature"),
        max_length=30,
        help_text=_("Exactly as registered with the SMS provider, without the 【】 brackets."),
    )
    sdk_app_id = models.CharField(
        _("SDK app id"),
        max_length=20,
        blank=True,
        help_text=_(
            "Tencent Cloud SMS only: the SmsSdkAppId of the branch's application (digits); "
            "empty for the chain's."
        ),
    )

    class Meta:
        verbose_name = _("SMS gateway")
        verbose_name_plural = _("SMS gateways")

    def __str__(self):
        return f"【{self.sign_name}】"

    def clean(self):
        if self.sdk_app_id and not self.sdk_app_id.isdigit():
            raise ValidationError({"sdk_app_id": _("The SDK app id is digits only.")})
        if self.sdk_app_id and self.provider != SmsProvider.TENCENT:
            raise ValidationError({"sdk_app_id": _("Only Tencent Cloud SMS takes an SDK app id.")})


class SmsTemplateCode(models.Model):
    """The code a provider gave a branch's registered template: a message's template key
    and the customer's language find it. Without one the template's chain-wide code
    (`MessageTemplate.gateway_template_code`) is used."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    provider = models.CharField(_("SMS provider"), max_length=10, choices=SmsProvider.choices)
    template_key = models.SlugField(_("message template"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    code = models.CharField(
        _("template code"),
        max_length=40,
        help_text=_("As the provider gave it: e.g. SMS_153055065 (Alibaba), 1110001 (Tencent)."),
    )

    class Meta:
        verbose_name = _("SMS template code")
        verbose_name_plural = _("SMS template codes")
        ordering = ["branch", "provider", "template_key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "provider", "template_key", "language"],
                name="one_sms_template_code_per_branch_provider_key_language",
            )
        ]

    def __str__(self):
        return f"{self.template_key} ({self.language}): {self.code}"

    def clean(self):
        code = (self.code or "").strip()
        if self.provider == SmsProvider.TENCENT and not code.isdigit():
            raise ValidationError({"code": _("A Tencent Cloud template id is digits only.")})
        if self.provider == SmsProvider.ALIBABA and not code.startswith("SMS_"):
            raise ValidationError({"code": _('An Alibaba Cloud template code starts with "SMS_".')})
        if self.template_key and not MessageTemplate.objects.filter(key=self.template_key).exists():
            raise ValidationError({"template_key": _("There is no message template by that key.")})


class WeChatTemplate(models.Model):
    """A template registered at the studio's WeChat Official Account (模板消息), and which
    of our template's placeholders fill its fields: a message whose template key has one
    goes to the couple's OpenID as that template (followups.wechat)."""

    template_key = models.SlugField(_("message template"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    template_id = models.CharField(
        _("WeChat template id"),
        max_length=64,
        help_text=_("As the Official Account's template library shows it."),
    )
    fields = models.JSONField(
        _("fields"),
        default=dict,
        help_text=_(
            "Each field of the WeChat template and the placeholder that fills it, e.g. "
            '{"thing1": "couple", "thing2": "store"}.'
        ),
    )

    class Meta:
        verbose_name = _("WeChat template")
        verbose_name_plural = _("WeChat templates")
        ordering = ["template_key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_key", "language"], name="one_wechat_template_per_language"
            )
        ]

    def __str__(self):
        return f"{self.template_key} ({self.language})"

    def clean(self):
        fields = self.fields if isinstance(self.fields, dict) else None
        if not fields or not all(
            isinstance(k, str) and k and v in PLACEHOLDERS for k, v in fields.items()
        ):
            names = ", ".join(PLACEHOLDERS)
            raise ValidationError(
                {
                    "fields": _("Name each WeChat field and one of these placeholders: %(names)s.")
                    % {"names": names}
                }
            )

    def data(self, params):
        """The template's `data`: each WeChat field with its placeholder's value."""
        return {field: {"value": str(params.get(name, ""))} for field, name in self.fields.items()}


class OutboxMessage(Kept):
    """A message to one customer, queued by a rule and sent by the dispatcher.

    `occasion` makes a rule fire once per customer and occasion. The dispatcher claims a
    message (`sending`, with the worker and the time) before it calls the gateway and
    records the answer after; a message left `sending` by a dead worker is asked about at
    the gateway, never sent blindly again (`followups.services.dispatch_due_messages`).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")
        CHECK = "check", _("Sent or not? Check with the gateway")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Not delivered")

    class SkipReason(models.TextChoices):
        NO_TEMPLATE = "no_template", _("The template is switched off")
        NO_CONSENT = "no_consent", _("No consent for this purpose on this channel")
        NO_ADDRESS = "no_address", _("No address on file for this channel")
        BAD_TEMPLATE = "bad_template", _("The template has an unknown placeholder")
        NO_LANGUAGE = "no_language", _("No text in the customer's language")
        NO_OPENID = "no_openid", _("Does not follow the studio's WeChat account (no OpenID)")
        ERASED = "erased", _("The customer's personal data was erased")

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="messages", verbose_name=_("customer")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = models.CharField(pgettext_lazy("message recipient", "to"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    # The template's named values (couple, store...) for gateways that take a registered
    # template code and parameters instead of the text.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    template_key = models.CharField(_("template"), max_length=60)
    occasion = models.CharField(max_length=120)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.SERVICE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    skip_reason = models.CharField(
        _("why not sent"), max_length=20, choices=SkipReason.choices, blank=True
    )
    error = models.CharField(_("last error"), max_length=300, blank=True)
    claimed_by = models.CharField(_("claimed by worker"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    gateway_id = models.CharField(_("gateway's id"), max_length=100, blank=True)
    # Set just before the gateway is called: a claim without it never reached the gateway.
    called_at = models.DateTimeField(_("gateway called at"), null=True, blank=True)
    # What the provider's delivery receipt said, and when the phone received it.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    receipt = models.CharField(_("delivery receipt"), max_length=200, blank=True)
    # A message "Sent or not?" settled by a person (customer service or the manager).
    settled_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settled by"),
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_as = models.CharField(_("settled as"), max_length=10, blank=True)
    # The SMS provider a branch-routed message was handed to, asked again after a crash.
    provider = models.CharField(
        _("SMS provider"), max_length=10, choices=SmsProvider.choices, blank=True
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "occasion"], name="one_message_per_occasion"
            )
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="outbox_due"),
            # The admin lists in this order, for head office and for one branch alike.
            models.Index(fields=["created_at", "branch"], name="outbox_created"),
            # The managers' report reads a branch's period (followups.selectors).
            models.Index(fields=["branch", "created_at"], name="outbox_branch_period"),
            # Delivery receipts name the gateway's id (Tencent's SerialNo, WeChat's MsgID).
            models.Index(
                fields=["gateway_id"], condition=~Q(gateway_id=""), name="outbox_gateway_id"
            ),
            # The messages a person settles, per branch.
            models.Index(
                fields=["branch", "created_at"], condition=Q(status="check"), name="outbox_check"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.template_key}: {self.customer}"


class CareRule(models.Model):
    """One timed aftercare rule (DOMAIN.md, stage 8): when a fact happens (a deposit, a
    finished shoot, a birthday...), `offset` later a call task or a message.

    Rules are data: managers switch them off or re-time them on the care rules page or in
    the admin. `followups.services.run_care_rules` fires each rule once per occasion.
    """

    class Trigger(models.TextChoices):
        VISIT_NOT_BOOKED = "visit_not_booked", _("Visit not booked")
        CALL_FAILED = "call_failed", _("Follow-up call failed")
        DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
        NO_SHOOT_AFTER_DEPOSIT = "no_shoot_after_deposit", _("Deposit paid, still no shoot")
        SHOOT_UPCOMING = "shoot_upcoming", _("Shoot coming up")
        SHOOT_DONE = "shoot_done", _("Shoot finished")
        SELECTION_UPCOMING = "selection_upcoming", _("Selection coming up")
        SELECTION_DONE = "selection_done", _("Selection done")
        READY_FOR_PICKUP = "ready_for_pickup", _("Ready, pickup booked")
        DELIVERED = "delivered", _("Delivered")
        COMPLAINT_LOGGED = "complaint_logged", _("Complaint logged")
        DELIVERED_NO_REFERRAL = "delivered_no_referral", _("Delivered, no referral yet")
        BIRTHDAY = "birthday", _("Birthday")
        WEDDING_ANNIVERSARY = "wedding_anniversary", _("Wedding anniversary")
        REFERRED_ORDER_BOOKED = "referred_order_booked", _("A referred couple signed")
        HOLIDAY = "holiday", _("Holiday")
        INSTALMENT_DUE = "instalment_due", _("An instalment falls due")

    class Action(models.TextChoices):
        CALL = "call", _("Call task")
        MESSAGE = "message", _("Message")

    class Audience(models.TextChoices):
        OWNER = "owner", _("The owner (or their agent)")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")

    key = models.SlugField(_("key"), max_length=60)
    # A branch's own row (on or off, timing, text) wins over the chain's of the same key,
    # for that branch's couples; both share the key's occasions, so an event fired under
    # one is never fired again under the other.
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
        help_text=_("Empty: the chain's rule, for every branch without its own."),
    )
    trigger = models.CharField(
        pgettext_lazy("rule trigger", "when"), max_length=30, choices=Trigger.choices
    )
    offset_minutes = models.IntegerField(
        _("offset (minutes)"),
        default=0,
        help_text=_("After the event; negative means before it (e.g. -1440: one day before)."),
    )
    at_time = models.TimeField(
        _("at this time of day"),
        null=True,
        blank=True,
        help_text=_("Optional: on the day the offset reaches, at this time (branch time)."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    template_key = models.SlugField(
        _("message template"),
        max_length=60,
        blank=True,
        help_text=_("The template's key; its channel (SMS, letter...) comes with it."),
    )
    call_kind = models.CharField(
        _("call kind"), max_length=20, choices=CallTask.Kind.choices, blank=True
    )
    script = models.TextField(_("what to say"), blank=True)
    audience = models.CharField(
        _("who calls"), max_length=20, choices=Audience.choices, default=Audience.OWNER
    )
    holiday = models.ForeignKey(
        "Holiday",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("holiday"),
        help_text=_('For the trigger "Holiday": which one.'),
    )
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("care rule")
        verbose_name_plural = _("care rules")
        ordering = ["trigger", "offset_minutes", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(branch__isnull=True), name="one_chain_care_rule_per_key"
            ),
            models.UniqueConstraint(
                fields=["key", "branch"],
                condition=Q(branch__isnull=False),
                name="one_branch_care_rule_per_key",
            ),
            models.CheckConstraint(
                condition=(Q(action="message") & ~Q(template_key=""))
                | (Q(action="call") & ~Q(call_kind="")),
                name="care_rule_action_complete",
            ),
            models.CheckConstraint(
                condition=Q(trigger="holiday", holiday__isnull=False)
                | (~Q(trigger="holiday") & Q(holiday__isnull=True)),
                name="care_rule_holiday_with_its_trigger",
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def name(self):
        return care_texts.rule_name(self)

    @property
    def description_text(self):
        return care_texts.rule_description(self)

    @property
    def script_text(self):
        return care_texts.rule_script(self)

    @property
    def offset(self):
        return timedelta(minutes=self.offset_minutes)

    def clean(self):
        if self.action == self.Action.MESSAGE and not self.template_key:
            raise ValidationError({"template_key": _("Name the template of the message.")})
        if self.action == self.Action.CALL and not self.call_kind:
            raise ValidationError({"call_kind": _("Choose the kind of call.")})
        if self.trigger == self.Trigger.HOLIDAY and self.holiday_id is None:
            raise ValidationError({"holiday": _("Choose the holiday.")})
        if self.trigger != self.Trigger.HOLIDAY and self.holiday_id is not None:
            raise ValidationError({"holiday": _("Only a holiday rule names a holiday.")})

    def fire_time(self, happened_at, tz):
        """When the rule fires for an event at `happened_at`: the offset later, and on that
        day at `at_time` (branch time) when set."""
        at = happened_at + self.offset
        if self.at_time is None:
            return at
        return datetime.combine(timezone.localtime(at, tz).date(), self.at_time, tz)


class Holiday(models.Model):
    """A day the studio may greet its customers on: a solar date (元旦 1-1), a lunar date
    (中秋 8-15, kept by `studio.lunar.observed`) or the n-th weekday of a solar month
    (母亲节: the second Sunday of May). Seeded by migration 0009; a care rule with the
    trigger "Holiday" names one (docs/decisions.md, "Lunar calendar")."""

    class Calendar(models.TextChoices):
        SOLAR = "solar", _("Gregorian")
        LUNAR = "lunar", _("Lunar")

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=60, help_text=_("As written; the seeded ones show translated.")
    )
    calendar = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.SOLAR
    )
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, help_text=_('Empty for "the n-th weekday of the month".')
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    nth = models.PositiveSmallIntegerField(
        _("which one"), null=True, blank=True, help_text=_("1 for the first, 2 for the second…")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["calendar", "month", "day", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12)
                & (
                    Q(day__gte=1, day__lte=31, weekday__isnull=True, nth__isnull=True)
                    | Q(
                        calendar="solar",
                        day__isnull=True,
                        weekday__lte=6,
                        nth__gte=1,
                        nth__lte=5,
                    )
                ),
                name="holiday_has_a_date_or_a_weekday_rule",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return care_texts.holiday_name(self)

    def clean(self):
        if self.day is None and (self.weekday is None or self.nth is None):
            raise ValidationError(_("Give a day, or a weekday and which one in the month."))
        if self.day is not None and (self.weekday is not None or self.nth is not None):
            raise ValidationError(_("Give a day or a weekday rule, not both."))
        if self.calendar == self.Calendar.LUNAR and self.day is None:
            raise ValidationError({"day": _("A lunar holiday falls on a day of its month.")})
        if self.day is not None:
            longest = 30 if self.calendar == self.Calendar.LUNAR else _SOLAR_DAYS[self.month - 1]
            if not (1 <= self.month <= 12 and 1 <= self.day <= longest):
                raise ValidationError({"day": _("That month has no such day.")})

    def falls_on(self, day):
        """Whether the holiday is kept on the solar `day`."""
        if self.calendar == self.Calendar.LUNAR:
            year = lunar.to_lunar(day).year
            return lunar.observed(year, self.month, self.day) == day
        if day.month != self.month:
            return False
        if self.day is not None:
            return day.day == self.day
        return day.weekday() == self.weekday and (day.day - 1) // 7 + 1 == self.nth

    def in_year(self, year):
        """The solar date of the holiday in the solar `year` (None if it has none)."""
        day = date(year, 1, 1)
        while day.year == year:
            if self.falls_on(day):
                return day
            day += timedelta(days=1)
        return None


# The longest solar months (29 February: kept only in leap years).
_SOLAR_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Complaint(Kept):
    """A customer's complaint (DOMAIN.md, stage 8), with the staff member who owns it until
    it is resolved. Logging one queues the apology letter through the care rules."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("order"),
    )
    text = models.TextField(_("what they complain about"))
    logged_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    owner = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("owner"),
        help_text=_("Who follows it up until it is resolved."),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        # The admin lists in this order, for head office and for one branch alike.
        indexes = [models.Index(fields=["created_at"], name="complaint_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="complaint_resolved_with_resolution",
            )
        ]

    def __str__(self):
        return f"{self.customer} {self.created_at:%Y-%m-%d}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class InboundReply(models.Model):
    """A text a customer sent back to the studio's SMS number (an SMS gateway's reply
    callback). An opt-out word ("TD", "T", "N", "退订") withdraws marketing consent on that
    channel for every customer with that phone (followups.receipts.record_opt_out)."""

    provider = models.CharField(_("SMS provider"), max_length=10, choices=SmsProvider.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    phone = models.CharField(_("phone"), max_length=30)
    text = models.CharField(_("text"), max_length=500)
    received_at = models.DateTimeField(_("received at"))
    opt_out = models.BooleanField(_("opt-out"), default=False)
    customers = models.ManyToManyField(
        Customer, blank=True, related_name="+", verbose_name=_("customers it withdrew")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("inbound reply")
        verbose_name_plural = _("inbound replies")
        ordering = ["-received_at"]
        constraints = [
            # Gateways repeat a callback they think was lost: one row per reply.
            models.UniqueConstraint(
                fields=["provider", "phone", "received_at", "text"], name="one_inbound_reply"
            )
        ]

    def __str__(self):
        return f"{self.phone}: {self.text}"
