"""Import a session's photos from a folder on the studio's file server.

    python manage.py import_photos 2026-0001234 /srv/shoots/2026-12-01/chen-li --by lihua
    python manage.py import_photos 2026-0001234 /srv/shoots/... --by lihua --first 201

The JPEGs of the folder are numbered in shooting order (the camera's time, then the file
name) from --first, and added through the same service as the browser's upload, so a
folder imported twice adds only what is new and a file that is not a JPEG is reported,
not imported.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from orders.models import Order
from selection import imaging, photos
from studio.models import Staff

JPEG_SUFFIXES = {".jpg", ".jpeg"}


def _shooting_order(path: Path):
    with path.open("rb") as f:
        taken = imaging.camera_time(f)
    return (taken is None, taken or 0, path.name)


class Command(BaseCommand):
    help = "Import the JPEGs of a folder as the photos of an order's session."

    def add_arguments(self, parser):
        parser.add_argument("order", help="the order's number")
        parser.add_argument("folder")
        parser.add_argument("--by", required=True, help="the username of who imports")
        parser.add_argument("--first", type=int, default=1, help="the first photo's number")

    def handle(self, *args, order, folder, by, first, **options):
        found = Order.objects.filter(number=order).select_related("branch").first()
        if found is None:
            raise CommandError(f"No order {order}.")
        staff = Staff.objects.filter(user__username=by, branches=found.branch).first()
        if staff is None:
            raise CommandError(f"{by} does not work at {found.branch.code}.")
        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        files = sorted(
            (p for p in root.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: p.name,
        )
        jpegs = sorted((p for p in files if p.suffix.lower() in JPEG_SUFFIXES), key=_shooting_order)
        for path in files:
            if path.suffix.lower() not in JPEG_SUFFIXES:
                self.stderr.write(f"{path.name}: not a JPEG, left out")
        added = skipped = refused = 0
        for number, path in enumerate(jpegs, start=first):
            with path.open("rb") as f:
                try:
                    _photo, created = photos.add_photo(
                        order=found, number=number, upload=File(f, name=path.name), by=staff
                    )
                except ValidationError as exc:
                    refused += 1
                    self.stderr.write(f"{number} {path.name}: {' '.join(exc.messages)}")
                    continue
            if created:
                added += 1
            else:
                skipped += 1
        self.stdout.write(f"{added} added, {skipped} already there, {refused} refused.")
