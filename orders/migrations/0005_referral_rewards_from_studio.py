"""Referral rewards, moved here from `studio` (its 0018 renamed the table): the model joins
this app's state with no change to the database, and its content type is relabelled in
place, so the permissions granted on it (to groups and users) and the admin's history of its
rows stay attached. Both ways."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODEL = "referralreward"


def fold(apps, copy, into):
    """Fold a second content type of the model into the one being relabelled, so nothing is
    lost or doubled: its permissions' holders go to the twin permission, anything else that
    points at it (log entries) follows. There is one when code that has the model in its
    other app ran while the database stood on this side of the move
    (`ContentType.objects.get_for_model` creates what it misses)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    twins = {p.codename: p for p in Permission.objects.filter(content_type=into)}
    for permission in Permission.objects.filter(content_type=copy):
        twin = twins.get(permission.codename)
        if twin is None:
            permission.content_type = into
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    for relation in ContentType._meta.related_objects:
        if relation.related_model is not Permission and not relation.many_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: copy}).update(
                **{relation.field.name: into}
            )
    copy.delete()


def relabel(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model=MODEL).first()
    if moving is None:
        return  # a new database: post_migrate creates it under its app
    copy = ContentType.objects.filter(app_label=target, model=MODEL).first()
    if copy is not None:
        fold(apps, copy, into=moving)
    moving.app_label = target
    moving.save(update_fields=["app_label"])


def to_orders(apps, schema_editor):
    relabel(apps, "studio", "orders")


def to_studio(apps, schema_editor):
    relabel(apps, "orders", "studio")


LEVELS = [("none", "No card"), ("silver", "Silver"), ("gold", "Gold"), ("diamond", "Diamond")]


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_ledger_refuses_truncate"),
        ("studio", "0018_referral_rewards_move_to_orders"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # The admin's log entries point at the content type too.
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReferralReward",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "reward",
                            models.CharField(blank=True, max_length=200, verbose_name="reward"),
                        ),
                        (
                            "level_before",
                            models.CharField(
                                choices=LEVELS, max_length=10, verbose_name="membership before"
                            ),
                        ),
                        (
                            "level_after",
                            models.CharField(
                                choices=LEVELS, max_length=10, verbose_name="membership after"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="rewarded at"
                            ),
                        ),
                        (
                            "referred_order",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="referral_reward",
                                to="orders.order",
                                verbose_name="referred order",
                            ),
                        ),
                        (
                            "referrer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="referral_rewards",
                                to="studio.customer",
                                verbose_name="referrer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "referral reward",
                        "verbose_name_plural": "referral rewards",
                        "ordering": ["-created_at"],
                    },
                )
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_orders, to_studio),
    ]
