"""Superseded, kept empty: it used to add a periodic task to beat's database schedule
(the shoot confirmation calls). The schedule is now declared once in studio/schedule.py and written by
`manage.py setup_periodic_tasks` (docs/decisions.md, "Celery"). The migration stays because
later migrations depend on it and databases have it recorded as applied; the row it wrote
there is the one the command finds by name and keeps."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shoots", "0002_resources_and_the_day"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = []
