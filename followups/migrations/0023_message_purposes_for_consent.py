"""A template's yes/no "marketing" becomes its purpose, so that each message asks for the
consent it needs (docs/decisions.md, "Consent and personal data"): greetings (birthdays,
anniversaries, the day after a shoot or a selection, every holiday) need care consent,
offers (no-shoot offers, the VIP offer, the failed-call letter) marketing consent, and
what was not marketing stays a service notice. Messages already queued keep theirs.
"""

from django.db import migrations, models
from django.db.models import Q

GREETINGS = {"birthday_greeting", "anniversary_greeting", "shoot_greeting", "selection_greeting"}


def forward(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    OutboxMessage = apps.get_model("followups", "OutboxMessage")
    Holiday = apps.get_model("followups", "Holiday")
    holidays = Holiday.objects.values_list("key", flat=True)
    greetings = GREETINGS | {f"holiday_{key}" for key in holidays}
    for model in (MessageTemplate, OutboxMessage):
        key = "key" if model is MessageTemplate else "template_key"
        needs = model.objects.filter(marketing=True)
        needs.filter(**{f"{key}__in": greetings}).update(purpose="care")
        needs.exclude(**{f"{key}__in": greetings}).update(purpose="marketing")


def backward(apps, schema_editor):
    for name in ("MessageTemplate", "OutboxMessage"):
        apps.get_model("followups", name).objects.filter(~Q(purpose="service")).update(
            marketing=True
        )



class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0022_marketing_sms_offer_opt_out'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmessagetemplate',
            name='purpose',
            field=models.CharField(choices=[('service', 'Service notice (no consent needed)'), ('marketing', 'Offers and promotions'), ('care', 'Greetings (birthdays, anniversaries, holidays)')], default='service', help_text="Offers and greetings are sent only to customers who agreed to that purpose on the template's channel; service notices need no consent.", max_length=20, verbose_name='purpose'),
        ),
        migrations.AddField(
            model_name='messagetemplate',
            name='purpose',
            field=models.CharField(choices=[('service', 'Service notice (no consent needed)'), ('marketing', 'Offers and promotions'), ('care', 'Greetings (birthdays, anniversaries, holidays)')], default='service', help_text="Offers and greetings are sent only to customers who agreed to that purpose on the template's channel; service notices need no consent.", max_length=20, verbose_name='purpose'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='purpose',
            field=models.CharField(choices=[('service', 'Service notice (no consent needed)'), ('marketing', 'Offers and promotions'), ('care', 'Greetings (birthdays, anniversaries, holidays)')], default='service', max_length=20, verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='skip_reason',
            field=models.CharField(blank=True, choices=[('no_template', 'The template is switched off'), ('no_consent', 'No consent for this purpose on this channel'), ('no_address', 'No address on file for this channel'), ('bad_template', 'The template has an unknown placeholder'), ('erased', "The customer's personal data was erased")], max_length=20, verbose_name='why not sent'),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(
            model_name='historicalmessagetemplate',
            name='marketing',
        ),
        migrations.RemoveField(
            model_name='messagetemplate',
            name='marketing',
        ),
        migrations.RemoveField(
            model_name='outboxmessage',
            name='marketing',
        ),
    ]
