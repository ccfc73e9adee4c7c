"""The newest photo the couple was told about, so a batch added later is announced too
(selection.photos.announce_photos_ready). Sessions already announced are taken as told
about every photo uploaded by then: only photos added after their message are new."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    SelectionSession = apps.get_model("selection", "SelectionSession")
    Photo = apps.get_model("selection", "Photo")
    told_about = Photo.objects.filter(
        session=OuterRef("pk"), uploaded_at__lte=OuterRef("photos_ready_at")
    ).order_by("-pk")
    SelectionSession.objects.filter(photos_ready_at__isnull=False).update(
        photos_announced_through=Subquery(told_about.values("pk")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0017_voucher_uses_and_card_refunds"),
    ]

    operations = [
        migrations.AddField(
            model_name="selectionsession",
            name="photos_announced_through",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
