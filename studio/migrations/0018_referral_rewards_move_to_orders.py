"""Referral rewards move to `orders` (issue 10: a reward is earned by an order, and the core
imports no app above it). The rows stay where they are: the table is renamed to the one
`orders` gives the model, with its ids, foreign keys and indexes. `orders` 0005 takes the
model over in its own state and relabels the content type."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("studio", "0017_chain_manager_sees_login_lockouts")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReferralReward")],
            database_operations=[
                migrations.AlterModelTable(name="ReferralReward", table="orders_referralreward")
            ],
        )
    ]
