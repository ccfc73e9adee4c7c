"""Services lock the rows they change, never the branch's row as a side effect: a payment
at the branch goes through while a shoot is booked, an order moves or a couple checks in.

Found by the busy day (bench.busy): a lock on the branch's row (FOR UPDATE, also taken on
the rows a select_related joins) blocks every insert that points at the branch (a ledger
entry, a new order), and a till already holding the receipt counter then deadlocks with it.
"""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from orders import services as order_services
from orders.models import Order
from shoots import services

pytestmark = pytest.mark.django_db(transaction=True)


def _meanwhile(monkeypatch, module, name, holder, other):
    """Run `holder` until it has called `module.name` (its locks taken, its transaction
    open); then `other` in another connection, which gives up after waiting 3 s for a
    lock; then let `holder` finish. Returns what `other` did: ("ok", value) or ("error",
    exception)."""
    inside, release = threading.Event(), threading.Event()
    original = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        inside.set()
        release.wait(15)
        return result

    monkeypatch.setattr(module, name, held)
    outcome = {}

    def run(key, fn):
        try:
            outcome[key] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test reads what happened
            outcome[key] = ("error", exc)
        finally:
            inside.set()
            connection.close()
            close_old_connections()

    def other_with_timeout():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            return other()

    first = threading.Thread(target=run, args=("holder", holder))
    first.start()
    assert inside.wait(15)
    second = threading.Thread(target=run, args=("other", other_with_timeout))
    second.start()
    second.join(20)
    release.set()
    first.join(20)
    assert outcome["holder"][0] == "ok", outcome["holder"]
    return outcome["other"]


@pytest.fixture
def pay_another(make_order, receptionist):
    other = make_order()

    def pay():
        return order_services.take_payment(
            order=Order.objects.get(pk=other.pk),
            kind="balance",
            method="cash",
            amount="100",
            staff=receptionist,
        )

    return pay


def test_a_payment_goes_through_while_a_shoot_is_booked(monkeypatch, book, order, pay_another):
    result = _meanwhile(monkeypatch, services, "_book_resources", lambda: book(order), pay_another)
    assert result[0] == "ok", result


def test_a_payment_goes_through_while_an_order_moves(monkeypatch, order, manager, pay_another):
    def cancel():
        return order_services.transition_order(order=order, name="cancel", by=manager.user)

    result = _meanwhile(monkeypatch, order_services, "blocked_reasons", cancel, pay_another)
    assert result[0] == "ok", result


def test_a_payment_goes_through_while_a_couple_checks_in(
    monkeypatch, shoot_today, crew, pay_another
):
    def check_in():
        return services.check_in(shoot=shoot_today, by=crew.dispatcher)

    result = _meanwhile(monkeypatch, services, "_locked", check_in, pay_another)
    assert result[0] == "ok", result


def test_every_row_lock_with_a_join_locks_only_its_own_rows():
    """The rule the three tests above show, for every service: select_for_update() with a
    select_related() names of=("self", ...), else PostgreSQL locks the joined rows too."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted(root.glob("*/services.py")):
        text = path.read_text()
        for m in re.finditer(r"select_for_update\(([^)]*)\)\s*\.select_related\(", text):
            if "of=" not in m.group(1):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(root)}:{line}")
    assert found == []
