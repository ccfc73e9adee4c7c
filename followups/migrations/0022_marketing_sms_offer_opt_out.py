"""Marketing SMS must tell the customer how to stop them (the providers' rule and PIPL's):
the seeded marketing SMS templates end with "回T退订" / "Reply T to unsubscribe"."""

from django.db import migrations

ENDINGS = {"zh-hans": "回T退订", "en": " Reply T to unsubscribe."}


def add_opt_out(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for template in MessageTemplate.objects.filter(marketing=True, channel="sms"):
        ending = ENDINGS.get(template.language)
        if ending and ending.strip(" .") not in template.body:
            template.body = template.body.rstrip() + ending
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("followups", "0021_delivery_receipts_inbound_replies_and_settled_checks")]
    operations = [migrations.RunPython(add_opt_out, migrations.RunPython.noop)]
