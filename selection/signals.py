"""What production announces to the pages above it (docs/decisions.md, "Layers").

`proofs_shown(order, by)`: the designer told the couple their proofs are ready. Sent inside
the service's transaction; the couple's page (a higher app) sends the couple their link."""

from django.dispatch import Signal

proofs_shown = Signal()

# `photos_ready(order)`: every photo of the order's session has its previews, some of them
# new since the couple was last told (the first upload, or a batch added later). Sent once
# per batch, inside the transaction that claimed it; the couple's page sends the couple
# their link to mark favourites at home.
photos_ready = Signal()
