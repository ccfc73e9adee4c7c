"""Every stored phone number in its one spelling (studio.validators.normalise_phone), so
the search and the duplicate check find the couple whichever way a desk typed it.

A number that cannot be read is kept as it is (the next edit of the file asks for a good
one). Two files that turn out to share a number are kept, both, and logged: merging
couples is a person's decision, not a migration's.
"""

import logging
from collections import defaultdict

from django.db import migrations

from studio.validators import normalise_phone_or_keep

log = logging.getLogger("studio.migrations")


def _normalised(value):
    new = normalise_phone_or_keep(value)
    return new or value


def normalise(apps, schema_editor):
    Branch = apps.get_model("studio", "Branch")
    Staff = apps.get_model("studio", "Staff")
    Customer = apps.get_model("studio", "Customer")
    for model, fields in (
        (Branch, ("phone",)),
        (Staff, ("personal_phone",)),
        (Customer, ("bride_phone", "groom_phone")),
    ):
        for row in model.objects.only("pk", *fields).iterator():
            changed = {f: _normalised(getattr(row, f)) for f in fields}
            changed = {f: v for f, v in changed.items() if v != getattr(row, f)}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)
    files = defaultdict(set)
    for pk, branch, bride, groom in Customer.objects.values_list(
        "pk", "branch_id", "bride_phone", "groom_phone"
    ):
        for phone in {bride, groom} - {""}:
            files[(branch, phone)].add(pk)
    for (branch, phone), pks in sorted(files.items()):
        if len(pks) > 1:
            log.warning(
                "Branch %s: customers %s share the phone %s; kept, merge by hand if they "
                "are one couple.",
                branch,
                sorted(pks),
                phone,
            )


class Migration(migrations.Migration):
    dependencies = [("studio", "0014_checked_phones_dates_and_amounts")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
