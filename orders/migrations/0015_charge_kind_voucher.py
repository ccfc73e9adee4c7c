"""A charge may be a voucher taken off what the couple owes (negative; selection.VoucherUse)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0014_ledger_index_covers_the_reports'),
    ]

    operations = [
        migrations.AlterField(
            model_name='charge',
            name='kind',
            field=models.CharField(choices=[('selection_upsell', 'Selection upsell'), ('pickup_upsell', 'Pickup upsell'), ('rental', 'Dress rental'), ('other', 'Other'), ('voucher', 'Voucher used')], max_length=20, verbose_name='kind'),
        ),
    ]
