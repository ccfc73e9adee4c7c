"""Vouchers used at the desk (selection.VoucherUse, append-only like the ledger: PostgreSQL
refuses to change or delete its rows, with the function of orders 0002), and a
compensation's refund may go back onto the stored-value card the order was paid from."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from studio.dbops import postgres_only_sql

FORWARD = """
CREATE TRIGGER selection_voucheruse_append_only BEFORE UPDATE OR DELETE ON selection_voucheruse
  FOR EACH ROW EXECUTE FUNCTION studio_refuse_change();
"""
BACKWARD = "DROP TRIGGER IF EXISTS selection_voucheruse_append_only ON selection_voucheruse;"


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0015_charge_kind_voucher'),
        ('selection', '0016_compensations'),
        ('studio', '0028_visit_not_booked_because'),
    ]

    operations = [
        migrations.AlterField(
            model_name='compensation',
            name='method',
            field=models.CharField(blank=True, choices=[('cash', 'Cash'), ('card', 'Bank card'), ('wechat', 'WeChat Pay'), ('alipay', 'Alipay'), ('transfer', 'Bank transfer'), ('stored', 'Stored-value card')], max_length=10, verbose_name='refund method'),
        ),
        migrations.CreateModel(
            name='VoucherUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='amount')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                ('request_key', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='studio.branch', verbose_name='branch')),
                ('charge', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='voucher_use', to='orders.charge', verbose_name='charge')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voucher_uses', to='orders.order', verbose_name='order')),
                ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='selection.voucheruse', verbose_name='reverses')),
                ('staff', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='studio.staff', verbose_name='used by')),
                ('voucher', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='uses', to='selection.compensation', verbose_name='voucher')),
            ],
            options={
                'verbose_name': 'voucher use',
                'verbose_name_plural': 'voucher uses',
                'ordering': ['created_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('reverses__isnull', True)), models.Q(('amount__lt', 0), ('reverses__isnull', False)), _connector='OR'), name='voucher_use_positive_or_a_reversal')],
            },
        ),
        postgres_only_sql(FORWARD, BACKWARD),
    ]
