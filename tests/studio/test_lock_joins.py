"""A row lock taken with `select_related` names the rows it locks (`of=("self",)`):
PostgreSQL's FOR UPDATE also locks every joined row, so locking an order with its branch
made every upload, payment or booking at that branch wait for it (and hid a missing lock
from a race test). See tests/shoots/test_lock_scope.py for the behaviour."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["studio", "orders", "shoots", "selection", "pickup", "rentals", "followups",
        "commissions", "overview", "couple"]  # fmt: skip
# A queryset chain that both locks and joins, in either order, without naming what it locks.
CHAIN = re.compile(
    r"select_for_update\(\)[^\n]*select_related|select_related\([^)]*\)[^\n]*select_for_update\(\)"
)


def test_no_lock_with_joins_locks_the_joined_rows():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            joined = re.sub(r"\n\s*\.", ".", text)  # one line per chain
            for match in CHAIN.finditer(joined):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:90]}")
    assert not found, (
        "lock only the rows you change: select_for_update(of=('self',))\n" + "\n".join(found)
    )
