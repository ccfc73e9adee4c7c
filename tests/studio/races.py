"""Desks acting at the same instant: two registrations, two bookings, two check-ins.

`outcomes()` runs the three races on whatever database Django is connected to and returns
what came of them. tests/studio/test_concurrent_desks.py runs it on PostgreSQL in the test
process and on SQLite (the `make run` default) in a fresh interpreter:

    python -m tests.studio.races /tmp/some.sqlite3   # migrates it, prints the outcomes as JSON
"""

import json
import os
import sys
from datetime import timedelta
from decimal import Decimal


def run_together(*callables):
    """tests.races.run_together, each outcome made JSON-friendly for the SQLite run:
    [("ok", result) or (exception class name, message)]."""
    from tests.races import run_together as together

    return [
        (kind, found) if kind == "ok" else (type(found).__name__, str(found))
        for kind, found in together(*callables)
    ]


def outcomes():
    from django.utils import timezone

    from orders import services as order_services
    from shoots import services as shoot_services
    from shoots.models import Room, Shoot
    from studio import roles
    from studio import services as studio_services
    from studio.models import Customer, Visit
    from tests.factories import BranchFactory, CustomerFactory, PackageFactory, StaffFactory

    branch = BranchFactory(code="race", name="Race branch")

    def staff(role):
        return StaffFactory(roles=[role], branches=[branch])

    manager, dispatcher = staff(roles.MANAGER), staff(roles.DISPATCHER)
    desks = [staff(roles.RECEPTIONIST), staff(roles.RECEPTIONIST)]
    studio_services.set_rota(branch=branch, day=branch.today(), takers=desks, set_by=manager)
    package = PackageFactory(name="Race package", branches=[branch])
    seen = {}

    # Two receptionists register a walk-in each at the same moment.
    def register(desk, name, phone):
        return lambda: (
            studio_services.register_visit(
                branch=branch,
                registered_by=desk,
                new_customer={
                    "bride_name": name,
                    "bride_phone": phone,
                    "groom_name": "",
                    "groom_phone": "",
                },
            ).taker_id
        )

    results = run_together(
        register(desks[0], "Zhou Xin", "13900001111"), register(desks[1], "Wu Qian", "13900002222")
    )
    seen["registrations"] = {
        "results": sorted(kind for kind, _ in results),
        "errors": [message for kind, message in results if kind != "ok"],
        "visits": Visit.objects.filter(branch=branch).count(),
        "couples": Customer.objects.filter(branch=branch).count(),
        "different_takers": len({value for kind, value in results if kind == "ok"}) == 2,
    }

    # Two dispatchers book the same crew and room for overlapping times.
    crew = {
        "photographer": staff(roles.PHOTOGRAPHER),
        "assistant": staff(roles.ASSISTANT),
        "makeup_artist": staff(roles.MAKEUP_ARTIST),
        "dress_stylist": staff(roles.DRESS_STYLIST),
        "room": Room.objects.create(branch=branch, name="Garden room"),
    }

    def order():
        return order_services.create_order(
            customer=CustomerFactory(branch=branch, owner=desks[0]),
            package=package,
            owner=desks[0],
            created_by=desks[0],
            deposit=Decimal("2000"),
            deposit_method="wechat",
        )

    in_ten_days = (timezone.localtime() + timedelta(days=10)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )

    def book(an_order, starts_at, **kwargs):
        return lambda: (
            shoot_services.book_shoot(
                order=an_order, starts_at=starts_at, by=dispatcher, **crew, **kwargs
            ).pk
        )

    results = run_together(
        book(order(), in_ten_days), book(order(), in_ten_days + timedelta(minutes=30))
    )
    seen["bookings"] = {
        "results": sorted(kind for kind, _ in results),
        "shoots": Shoot.objects.filter(branch=branch).count(),
    }

    # Two people check the same couple in at once, on the day of their shoot.
    paid = order()
    order_services.take_payment(
        order=paid, kind="balance", method="cash", amount=paid.balance_due, staff=desks[0]
    )
    crew["room"] = Room.objects.create(branch=branch, name="Studio 2")
    # The crew is free again (test scaffolding: past the kept-record guard on purpose).
    Shoot._base_manager.filter(branch=branch).delete()
    shoot = Shoot.objects.get(
        pk=book(paid, timezone.now() + timedelta(minutes=5), short_notice_confirmed=True)()
    )
    results = run_together(
        lambda: shoot_services.check_in(shoot=shoot, by=desks[0]).status,
        lambda: shoot_services.check_in(shoot=shoot, by=desks[1]).status,
    )
    shoot.refresh_from_db()
    seen["check_ins"] = {
        "results": sorted(kind for kind, _ in results),
        "status": shoot.status,
    }
    return seen


def main(path):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    print(json.dumps({"vendor": connection.vendor, "journal": journal, **outcomes()}))


if __name__ == "__main__":
    main(sys.argv[1])
