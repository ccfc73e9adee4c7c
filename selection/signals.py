"""What production announces to the pages above it (docs/decisions.md, "Layers").

`proofs_shown(order, by)`: the designer told the couple their proofs are ready. Sent inside
the service's transaction; the couple's page (a higher app) sends the couple their link."""

from django.dispatch import Signal

proofs_shown = Signal()
