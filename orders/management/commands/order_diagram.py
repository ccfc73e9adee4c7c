from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from orders.diagram import document

TARGET = Path(settings.BASE_DIR) / "docs" / "order-states.md"


class Command(BaseCommand):
    help = "Write the Order's state diagram to docs/order-states.md."

    def handle(self, *args, **options):
        TARGET.write_text(document(), encoding="utf-8")
        self.stdout.write(f"Wrote {TARGET}")
