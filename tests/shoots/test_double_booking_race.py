"""No person, room or vehicle is ever double-booked, even when two bookings race."""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction

from shoots import services
from shoots.models import ResourceBooking, Shoot

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_conflicting_bookings_at_once_make_one_shoot(book, make_order, crew, in_ten_days):
    orders = [make_order(), make_order()]
    results = _race(
        lambda: book(orders[0]),
        lambda: book(orders[1], starts_at=in_ten_days + timedelta(minutes=30)),
    )
    shoots = [r for r in results if isinstance(r, Shoot)]
    refused = [r for r in results if isinstance(r, services.DoubleBooking)]
    assert len(shoots) == 1, results
    assert len(refused) == 1, results
    assert crew.photographer.display_name in " ".join(refused[0].messages)
    assert Shoot.objects.count() == 1


def test_the_database_refuses_overlaps_without_the_service(book, order, in_ten_days):
    assert connection.vendor == "postgresql"
    shoot = book(order)
    key = shoot.bookings.first().resource

    def insert(offset):
        def job():
            with transaction.atomic():
                return ResourceBooking.objects.create(
                    shoot=shoot,
                    resource=key,
                    starts_at=shoot.ends_at + timedelta(minutes=offset),
                    ends_at=shoot.ends_at + timedelta(minutes=offset + 60),
                )

        return job

    results = _race(insert(0), insert(30))
    # PostgreSQL refuses the second with an exclusion violation, or, when both inserts
    # wait on each other's check, by aborting one as a deadlock: never both rows.
    assert sum(isinstance(r, DatabaseError) for r in results) == 1, results
    assert sum(isinstance(r, ResourceBooking) for r in results) == 1, results
    assert ResourceBooking.objects.filter(resource=key).count() == 2


def test_the_constraint_lets_different_resources_share_a_time(book, order, in_ten_days):
    shoot = book(order)
    ResourceBooking.objects.create(
        shoot=shoot, resource="room:999999", starts_at=shoot.starts_at, ends_at=shoot.ends_at
    )
    assert ResourceBooking.objects.filter(resource="room:999999").count() == 1
