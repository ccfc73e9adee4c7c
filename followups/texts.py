"""The care rules' names, descriptions and call scripts in the reader's language.

The rules are data (seeded by migration 0005, edited in the admin), so their description and
script are stored in English. Here are those seeded words as msgids: a rule whose text is
still the seeded one is shown in the reader's language; words a manager wrote are shown as
written. A rule's call script becomes the call task's script kind (`care_script`).
"""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from studio import texts

# The seeded holidays (migration 0009): a holiday a manager adds shows its name as written.
HOLIDAY_NAMES = {
    "spring_festival": _("Spring Festival (春节)"),
    "lantern_festival": _("Lantern Festival (元宵)"),
    "qixi": _("Qixi, the lovers' festival (七夕)"),
    "mid_autumn": _("Mid-Autumn Festival (中秋)"),
    "double_ninth": _("Double Ninth Festival (重阳)"),
    "new_year": _("New Year's Day (元旦)"),
    "valentines_day": _("Valentine's Day (情人节)"),
    "520": _('520, "I love you" day'),
    "mothers_day": _("Mother's Day (母亲节)"),
    "fathers_day": _("Father's Day (父亲节)"),
}


def holiday_name(holiday):
    return str(HOLIDAY_NAMES.get(holiday.key, holiday.name))


NAMES = {
    "deposit_thanks_sms": _("Thank-you SMS for the deposit"),
    "deposit_thanks_letter": _("Thank-you letter for the deposit"),
    "urge_no_shoot_day10": _("Urge call on day 10 without a shoot"),
    "offer_no_shoot_day15": _("Offer on day 15 without a shoot"),
    "offer_no_shoot_day60": _("Better offer on day 60 without a shoot"),
    "shoot_greeting": _("Greeting after the shoot"),
    "selection_greeting": _("Greeting after the selection"),
    "pickup_notice_call": _("Pickup notice call"),
    "pickup_notice_sms": _("Pickup notice SMS"),
    "delivered_thanks_letter": _("Thank-you letter after delivery"),
    "vip_greeting_day30": _("VIP greeting on day 30"),
    "birthday_greeting": _("Birthday greeting"),
    "anniversary_greeting": _("Wedding anniversary greeting"),
    "referral_thanks": _("Thanks for a referral"),
    "complaint_apology_letter": _("Apology letter for a complaint"),
    "call_failed_offer_letter": _("Offer letter after an unanswered call"),
    "instalment_reminder_call": _("Instalment reminder call"),
    "instalment_reminder_sms": _("Instalment reminder SMS"),
    **{f"holiday_{key}": name for key, name in HOLIDAY_NAMES.items()},
}

# The seeded descriptions, word for word (followups/migrations/0005_care_rules_seed.py).
DESCRIPTIONS = {
    gettext_noop("Deposit paid: thank-you SMS within 30 minutes."),
    gettext_noop("Deposit paid: thank-you letter the next day."),
    gettext_noop(
        "Day 10 after the deposit and still no shoot: urge call (shoot or pay the balance)."
    ),
    gettext_noop("Day 15 and still no shoot: an offer to come within 15 days."),
    gettext_noop("Day 60 and still no shoot: a better offer."),
    gettext_noop("The morning after the shoot: greeting SMS."),
    gettext_noop("The morning after the selection: greeting SMS."),
    gettext_noop(
        "The day before the pickup: call to come, with the slip and a helper for large items."
    ),
    gettext_noop("The day before the pickup: the notice by SMS instead of a call (switched off)."),
    gettext_noop("Delivered: thank-you letter within 7 days."),
    gettext_noop("30 days after delivery, no referral yet: VIP greeting."),
    gettext_noop("Bride's or groom's birthday: greeting on the day."),
    gettext_noop("Wedding anniversary: greeting on the day."),
    gettext_noop("A referred couple signed: thank the referrer the next day."),
    gettext_noop("Complaint logged: apology letter within 7 days."),
    gettext_noop("Follow-up call not answered: special-offer letter the next day."),
    gettext_noop("Holiday: greeting on the day, to customers who agreed to marketing."),
    # migration 0015
    gettext_noop("Three days before an instalment falls due: call to remind the couple."),
    gettext_noop("The day before an instalment falls due: reminder SMS."),
}

# The seeded call scripts: instructions to the caller, in the reader's language.
URGE_SCRIPT = gettext_noop(
    "Ten days since the deposit and no shoot is booked: offer dates for the shoot, or "
    "remind them of the balance. Log what they said."
)
PICKUP_SCRIPT = gettext_noop(
    "Their order is ready: confirm tomorrow's pickup time, ask them to bring the pickup "
    "slip, and a helper for large frames."
)
INSTALMENT_SCRIPT = gettext_noop(
    "An instalment of their payment plan falls due in three days: remind them of the "
    "amount and the date, and how they can pay. Log what they said."
)
SCRIPTS = {
    URGE_SCRIPT: texts.define("followups.care.urge_no_shoot", _(URGE_SCRIPT)),
    INSTALMENT_SCRIPT: texts.define("followups.care.instalment", _(INSTALMENT_SCRIPT)),
    PICKUP_SCRIPT: texts.define("followups.care.pickup_notice", _(PICKUP_SCRIPT)),
}


# The seeded message templates' names (followups migrations 0003 and 0005); a template a
# manager added under a new key shows its key.
TEMPLATE_NAMES = {
    "visit_not_booked": _("SMS after a visit that did not book"),
    "deposit_thanks": _("Thank-you SMS for the deposit"),
    "deposit_letter": _("Thank-you letter for the deposit"),
    "no_shoot_offer_15": _("Offer on day 15 without a shoot"),
    "no_shoot_offer_60": _("Better offer on day 60 without a shoot"),
    "shoot_greeting": _("Greeting after the shoot"),
    "selection_greeting": _("Greeting after the selection"),
    "pickup_notice": _("Pickup notice SMS"),
    "delivered_thanks": _("Thank-you letter after delivery"),
    "vip_greeting": _("VIP greeting on day 30"),
    "birthday_greeting": _("Birthday greeting"),
    "anniversary_greeting": _("Wedding anniversary greeting"),
    "referral_thanks": _("Thanks for a referral"),
    "complaint_apology": _("Apology letter for a complaint"),
    "call_failed_offer": _("Offer letter after an unanswered call"),
    "instalment_reminder": _("Instalment reminder SMS"),
    **{f"holiday_{key}": name for key, name in HOLIDAY_NAMES.items()},
}


def template_name(key):
    return str(TEMPLATE_NAMES.get(key, key))


def rule_name(rule):
    return str(NAMES.get(rule.key, rule.key))


def rule_description(rule):
    if rule.description in DESCRIPTIONS:
        return gettext(rule.description)
    return rule.description


def care_script(script):
    """(kind, params) of a rule's call script, or ("", {}) for words a manager wrote."""
    kind = SCRIPTS.get(script)
    return kind() if kind is not None else ("", {})


def rule_script(rule):
    kind, params = care_script(rule.script)
    return texts.render(kind, params, fallback=rule.script)


# The consultation's follow-up (kinds named when the core wrote them: stored rows keep them).
NOT_BOOKED = texts.define("studio.not_booked", _("Did not book: %(reason)s"))
BOOKED_LATER = texts.define("studio.booked_later", _("Booked at a later visit"))
