"""Package contents as data (issue 14, item 7): the free text of what a package included
is kept, renamed as the package's note; the lines are added by head office in the admin
(docs/decisions.md, "Package contents")."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("studio", "0026_customer_facing_names_and_genders")]

    operations = [
        migrations.RenameField(model_name="package", old_name="products", new_name="contents_note"),
        migrations.RenameField(
            model_name="historicalpackage", old_name="products", new_name="contents_note"
        ),
        migrations.AlterField(
            model_name="historicalpackage",
            name="contents_note",
            field=models.TextField(
                blank=True,
                help_text="Free text shown beside the lines (what the package said before its contents were lines). The selection charges by the lines, never by this note.",
                verbose_name="notes on the contents",
            ),
        ),
        migrations.AlterField(
            model_name="package",
            name="contents_note",
            field=models.TextField(
                blank=True,
                help_text="Free text shown beside the lines (what the package said before its contents were lines). The selection charges by the lines, never by this note.",
                verbose_name="notes on the contents",
            ),
        ),
        migrations.CreateModel(
            name="PackageLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("enlargement", "Enlargement"),
                            ("frame", "Frame"),
                            ("crystal", "Crystal"),
                            ("usb", "Image files on USB"),
                            ("print", "Prints"),
                            ("second_makeup", "Second makeup"),
                            ("extra_outfit", "Extra outfit"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="what",
                    ),
                ),
                (
                    "size",
                    models.CharField(
                        blank=True,
                        help_text='e.g. 24"; as written in the price list. Empty: any size.',
                        max_length=20,
                        verbose_name="size",
                    ),
                ),
                (
                    "quantity",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="quantity",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="Only for “Other”: what it is.",
                        max_length=60,
                        verbose_name="name",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "package",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="studio.package",
                        verbose_name="package",
                    ),
                ),
            ],
            options={
                "verbose_name": "package line",
                "verbose_name_plural": "package lines",
                "ordering": ["package", "position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("package", "kind", "size", "name"), name="package_line_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gte", 1)), name="package_line_quantity"
                    ),
                ],
            },
        ),
    ]
