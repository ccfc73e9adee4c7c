"""studio.prepared: a queryset compiled once per process gives what the queryset gives."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from orders.models import Order
from orders.selectors import with_money
from studio.models import Customer
from studio.prepared import Marker, Prepared


def _orders(ids):
    return (
        with_money(Order.objects.filter(pk__any=ids))
        .select_related("customer", "owner")
        .order_by("pk")
    )


ORDERS = Prepared(_orders, [Marker.numbers(0)])


def _rows(o):
    return (o.pk, o.number, o.customer.bride_name, o.owner.display_name, o.balance, o.state)


@pytest.mark.django_db
def test_rows_with_related_objects_and_annotations_equal_the_querysets(make_order):
    orders = [make_order() for _ in range(3)]
    ids = [o.pk for o in orders]
    assert [_rows(o) for o in ORDERS(ids)] == [_rows(o) for o in _orders(ids)]
    # Other values, the same SQL: a subset, then none.
    assert [o.pk for o in ORDERS(ids[1:])] == ids[1:]
    assert ORDERS([]) == []


@pytest.mark.django_db
def test_the_sql_is_compiled_once(make_order, django_assert_num_queries):
    ids = [make_order().pk]
    ORDERS(ids)
    prepared = ORDERS._compiled["default"]
    ORDERS(ids)
    assert ORDERS._compiled["default"] is prepared
    with django_assert_num_queries(1):
        ORDERS(ids)


@pytest.mark.django_db
def test_values_and_times_as_parameters(customer):
    now = timezone.now()
    since = Prepared(
        lambda branch_id, start, end: Customer.objects.filter(
            branch_id=branch_id, created_at__gte=start, created_at__lt=end
        ).values_list("pk", flat=True),
        [Marker.number(0), Marker.moment(0), Marker.moment(1)],
    )
    hour = timedelta(hours=1)
    assert since(customer.branch_id, now - hour, now + hour) == [customer.pk]
    assert since(customer.branch_id, now + hour, now + 2 * hour) == []
    assert since(customer.branch_id + 1000, now - hour, now + hour) == []


@pytest.mark.django_db
def test_a_parameter_that_does_not_reach_the_sql_is_refused(customer):
    wrong = Prepared(
        lambda branch_id: Customer.objects.filter(branch_id=4).values_list("pk"),
        [Marker.number(0)],
    )
    with pytest.raises(ImproperlyConfigured):
        wrong(customer.branch_id)


@pytest.mark.django_db
def test_the_wrong_number_of_values_is_refused():
    with pytest.raises(TypeError):
        ORDERS()


@pytest.mark.django_db(transaction=True)
def test_threads_each_use_their_own_connection(make_order):
    """gunicorn's threads share the compiled SQL, never a connection."""
    ids = [make_order().pk for _ in range(2)]
    ORDERS(ids)  # compiled on this thread's connection
    seen, errors = [], []

    def read():
        try:
            seen.append([o.pk for o in ORDERS(ids)])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and seen == [ids] * 4


@pytest.mark.django_db
def test_the_any_lookup_matches_in(make_order):
    ids = [make_order().pk for _ in range(3)]
    assert set(Order.objects.filter(pk__any=ids[:2]).values_list("pk", flat=True)) == set(ids[:2])
    assert not Order.objects.filter(pk__any=[]).exists()


HISTORY = Prepared(
    lambda customer_id: Customer.history.model.objects.filter(id=customer_id).order_by(
        "history_id"
    ),
    [Marker.number(0)],
)


@pytest.mark.django_db
def test_a_number_the_database_layer_wraps_in_its_own_type_is_still_found(customer):
    # A historical record's id is a BigIntegerField: psycopg gets it as its Int8, an int.
    customer.notes = "second version"
    customer.save()
    assert [h.history_id for h in HISTORY(customer.pk)] == list(
        customer.history.order_by("history_id").values_list("history_id", flat=True)
    )
    assert len(HISTORY(customer.pk)) == 2


def _tasks(customer_id):
    from followups.models import CallTask

    return CallTask.objects.filter(customer_id=customer_id).order_by("pk")


TASKS = Prepared(_tasks, [Marker.number(0)])


@pytest.mark.django_db
def test_values_that_need_a_converter_come_back_converted(customer, receptionist):
    # A JSONField is read through its from_db_value: the converters are worked out once
    # per connection and still applied to every row.
    from followups.models import CallTask
    from followups.services import create_call_task

    for n in range(2):
        create_call_task(
            customer=customer,
            kind=CallTask.Kind.OTHER,
            due_at=timezone.now(),
            occasion=f"conv:{n}",
            assignee=receptionist,
        )
    CallTask.objects.filter(customer=customer).update(script_params={"n": [1, 2]})
    first = TASKS(customer.pk)
    again = TASKS(customer.pk)
    for rows in (first, again):
        assert [t.script_params for t in rows] == [{"n": [1, 2]}] * 2
        assert [(t.pk, t.due_at, t.script_params) for t in rows] == [
            (t.pk, t.due_at, t.script_params) for t in _tasks(customer.pk)
        ]


@pytest.mark.django_db
def test_a_marker_a_small_integer_column_refuses_is_explained():
    from django_fsm_log.models import StateLog

    refused = Prepared(lambda n: StateLog.objects.filter(object_id=n), [Marker.number(0)])
    with pytest.raises(ImproperlyConfigured, match="list of one"):
        refused(1)
    listed = Prepared(lambda ns: StateLog.objects.filter(object_id__any=ns), [Marker.numbers(0)])
    assert listed([1]) == []


@pytest.mark.django_db(transaction=True)
def test_a_compiled_query_is_read_without_its_lock(make_order):
    # Taken at every call, the lock convoyed the server's threads; once compiled (and its
    # converters worked out for this thread's connection), a call must not wait for it.
    # Here the lock is held: a call that took it would not return.
    ids = [make_order().pk]
    done, warmed, go = [], threading.Event(), threading.Event()

    def call():
        ORDERS(ids)  # compiles, and works out this connection's converters
        warmed.set()
        go.wait(10)
        done.append(ORDERS(ids))
        connection.close()

    thread = threading.Thread(target=call)
    thread.start()
    assert warmed.wait(10)
    with ORDERS._lock:
        go.set()
        thread.join(timeout=10)
        finished = bool(done)  # while the lock is still held
    thread.join()
    assert finished and [o.pk for o in done[0]] == ids


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_database_plans_the_sql_once_and_the_rows_are_the_same(make_order):
    orders = [make_order() for _ in range(2)]
    ids = [o.pk for o in orders]
    before = _prepared_statements()
    first, again = ORDERS(ids), ORDERS(ids)
    kept = _prepared_statements() - before
    assert len(kept) == 1 and "orders_order" in kept.pop()
    assert (
        [_rows(o) for o in first] == [_rows(o) for o in again] == [_rows(o) for o in _orders(ids)]
    )


@pytest.mark.django_db
def test_without_prepared_statements_nothing_is_kept(make_order, settings):
    settings.DB_PREPARED_STATEMENTS = False
    ids = [make_order().pk]
    before = _prepared_statements()
    assert [o.pk for o in ORDERS(ids)] == ids
    assert _prepared_statements() == before


@pytest.mark.django_db
def test_every_prepared_query_of_the_project_is_one_postgresql_can_keep():
    """Bound on the server, a parameter needs a type PostgreSQL can tell: each of the
    project's prepared queries is run once with its markers (which match no row)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("selectors")
    queries = list(Prepared.made)
    assert len(queries) > 20
    for query in queries:
        before = _prepared_statements()
        assert query(*query._markers) == [], query._build
        assert len(_prepared_statements() - before) == 1, query._build


@pytest.mark.django_db
def test_first_is_the_first_row_or_none(make_order):
    ids = sorted(make_order().pk for _ in range(2))
    assert ORDERS.first(ids).pk == ids[0]
    assert ORDERS.first([]) is None


def test_an_unseen_bound_selects_the_same_rows_and_hides_its_value_from_the_planner(
    customer,
):
    """`unseen(value)`: `(SELECT value)` on PostgreSQL, which the planner does not look
    into, so a prepared statement keeps one plan for every value (docs/performance.md)."""
    from studio.prepared import unseen

    now = timezone.now()
    plain = Customer.objects.filter(created_at__gte=now - timedelta(hours=1), created_at__lt=now)
    hidden = Customer.objects.filter(
        created_at__gte=unseen(now - timedelta(hours=1)), created_at__lt=unseen(now)
    )
    assert list(hidden) == list(plain) == [customer]
    sql = str(hidden.query)
    assert sql.count("(SELECT ") == 2
    later = Prepared(
        lambda start: Customer.objects.filter(created_at__gte=unseen(start)).values_list(
            "pk", flat=True
        ),
        [Marker.moment(0)],
    )
    assert later(now - timedelta(hours=1)) == [customer.pk]
    assert later(now + timedelta(hours=1)) == []


# The rows are made without a queryset for each call (studio.prepared._Rows): what each
# kind of queryset gives must still be what Django's own iterable gives.


def _complaints(customer_id):
    from followups.models import Complaint

    return (
        Complaint.objects.filter(customer_id=customer_id)
        .select_related("order__customer", "order__package", "logged_by")
        .order_by("pk")
    )


COMPLAINTS = Prepared(_complaints, [Marker.number(0)])


def _a_complaint(order, staff):
    from followups.services import log_complaint

    return log_complaint(customer=order.customer, order=order, logged_by=staff, text="Late")


@pytest.mark.django_db
def test_objects_two_relations_deep_are_the_querysets(
    make_order, receptionist, django_assert_num_queries
):
    order = make_order()
    _a_complaint(order, receptionist)
    with django_assert_num_queries(1):  # the related objects come with the row
        [ours] = COMPLAINTS(order.customer_id)
        ours.order.customer.bride_name, ours.order.package.name, ours.logged_by.display_name  # noqa: B018
    [theirs] = _complaints(order.customer_id)
    assert ours.pk == theirs.pk and ours._state.db == "default" and not ours._state.adding
    assert ours.order.customer.bride_name == theirs.order.customer.bride_name
    assert ours.order.package.name == theirs.order.package.name
    assert ours.logged_by.display_name == theirs.logged_by.display_name


def _tuples(branch_id):
    from django.db.models import Count

    return (
        Order.objects.filter(branch_id=branch_id)
        .values_list("state")
        .annotate(n=Count("*"))
        .order_by("state")
    )


@pytest.mark.django_db
def test_tuples_and_single_values_are_the_querysets(make_order, branch):
    for _ in range(3):
        make_order()
    tuples = Prepared(_tuples, [Marker.number(0)])
    found = tuples(branch.pk)
    assert found == list(_tuples(branch.pk)) and sum(n for _state, n in found) == 3
    assert all(type(row) is tuple for row in found)
    flat = Prepared(
        lambda branch_id: (
            Order.objects.filter(branch_id=branch_id)
            .order_by("-pk")
            .values_list("number", flat=True)
        ),
        [Marker.number(0)],
    )
    assert flat(branch.pk) == list(
        Order.objects.filter(branch_id=branch.pk).order_by("-pk").values_list("number", flat=True)
    )


@pytest.mark.django_db
def test_columns_added_for_the_ordering_are_left_out(customer, branch):
    """DISTINCT ordered by a column it does not return: Django selects the column too
    and leaves it out of the rows."""
    from tests.factories import CustomerFactory

    CustomerFactory(branch=branch, bride_name=customer.bride_name)

    def names(branch_id):
        return (
            Customer.objects.filter(branch_id=branch_id)
            .values_list("bride_name")
            .distinct()
            .order_by("created_at")
        )

    prepared = Prepared(names, [Marker.number(0)])
    assert prepared(branch.pk) == list(names(branch.pk))
    assert [len(row) for row in prepared(branch.pk)] == [1, 1]


@pytest.mark.django_db
def test_deferred_fields_stay_deferred(customer):
    def only_names(pk):
        return Customer.objects.filter(pk=pk).only("bride_name")

    [ours] = Prepared(only_names, [Marker.number(0)])(customer.pk)
    [theirs] = only_names(customer.pk)
    assert ours.get_deferred_fields() == theirs.get_deferred_fields()
    assert "groom_phone" in ours.get_deferred_fields() and ours.bride_name == customer.bride_name


@pytest.mark.django_db
def test_a_queryset_with_prefetches_is_left_to_django(make_order):
    order = make_order()

    def with_ledger(pk):
        return Order.objects.filter(pk=pk).prefetch_related("ledger")

    prepared = Prepared(with_ledger, [Marker.number(0)])
    [found] = prepared(order.pk)
    assert prepared._rows["default"] is None
    assert "ledger" in found._prefetched_objects_cache
    assert ORDERS([order.pk]) and ORDERS._rows["default"] is not None
