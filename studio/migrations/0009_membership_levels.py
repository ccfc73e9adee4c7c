"""The chain's referral ladder, as data a manager edits in the admin afterwards."""

from django.db import migrations

LADDER = [
    ("silver", 1, "代金券：24寸放大一张 / Voucher: one 24-inch enlargement"),
    ("gold", 3, "代金券：下次拍摄抵500元 / Voucher: 500 yuan off the next shoot"),
    ("diamond", 6, "周年纪念照一套 / A wedding-anniversary portrait session"),
]


def add_ladder(apps, schema_editor):
    MembershipLevelRule = apps.get_model("studio", "MembershipLevelRule")
    for level, needed, reward in LADDER:
        MembershipLevelRule.objects.get_or_create(
            level=level, defaults={"referrals_needed": needed, "reward": reward}
        )


def remove_ladder(apps, schema_editor):
    apps.get_model("studio", "MembershipLevelRule").objects.filter(
        level__in=[level for level, _n, _r in LADDER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("studio", "0008_referral_rewards")]

    operations = [migrations.RunPython(add_ladder, remove_ladder)]
