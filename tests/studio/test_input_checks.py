"""ID documents, date windows, amount ceilings, CSV cells and the ledger's TRUNCATE guard
(issue 7)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from studio import validators
from studio.validators import (
    check_amount,
    check_birthday,
    check_booking_date,
    csv_cell,
    id_card_check_character,
    mask_id_number,
    normalise_id_document,
)

TODAY = datetime.date(2026, 12, 2)


def test_the_id_card_check_character_is_iso_7064_mod_11_2():
    # GB 11643-1999's own example, and a check character of X.
    assert id_card_check_character("11010519491231002") == "X"
    assert id_card_check_character("31010119900101123") == "4"


@pytest.mark.parametrize(
    ("id_type", "typed", "stored"),
    [
        ("id_card", "11010519491231002x", "11010519491231002X"),
        ("id_card", "3101 0119 9001 0112 34", "310101199001011234"),
        ("driving", "310101199001011234", "310101199001011234"),
        ("passport", "e12345678", "E12345678"),
        ("hk_macao", "H12345678", "H12345678"),
        ("taiwan", "12345678", "12345678"),
    ],
)
def test_a_good_id_document_is_kept_in_one_spelling(id_type, typed, stored):
    assert normalise_id_document(id_type, typed) == stored


@pytest.mark.parametrize(
    ("id_type", "typed"),
    [
        ("id_card", "123"),
        ("id_card", "310101199001011235"),  # one digit off: the check character says so
        ("id_card", "310101199013011234"),  # month 13
        ("id_card", "<script>alert(1)</script>"),
        ("driving", "E12345678"),
        ("passport", "E1"),
        ("passport", "护照12345"),
        ("hk_macao", "12345678"),
        ("taiwan", "T1234"),
    ],
)
def test_a_wrong_id_document_is_refused_with_a_sentence(id_type, typed):
    with pytest.raises(ValidationError) as caught:
        normalise_id_document(id_type, typed)
    assert caught.value.messages[0] == validators.ID_MESSAGES[id_type]


def test_an_id_number_is_masked_but_its_first_and_last_four():
    assert mask_id_number("310101199001011234") == "3101**********1234"
    assert mask_id_number("E1234") == "*****"


def test_a_booking_lies_between_today_and_a_few_years_ahead():
    check_booking_date(TODAY, today=TODAY)
    check_booking_date(TODAY + datetime.timedelta(days=validators.BOOKING_DAYS_AHEAD), today=TODAY)
    with pytest.raises(ValidationError, match="too far ahead"):
        check_booking_date(datetime.date(9999, 12, 31), today=TODAY)
    with pytest.raises(ValidationError, match="in the past"):
        check_booking_date(TODAY - datetime.timedelta(days=1), today=TODAY)
    check_booking_date(TODAY - datetime.timedelta(days=1), today=TODAY, past_allowed=True)


def test_a_birthday_lies_between_1900_and_today():
    check_birthday(datetime.date(1900, 1, 1), today=TODAY)
    check_birthday(TODAY, today=TODAY)
    for wrong in (datetime.date(1, 1, 1), datetime.date(1899, 12, 31), TODAY.replace(day=3)):
        with pytest.raises(ValidationError):
            check_birthday(wrong, today=TODAY)


@pytest.mark.parametrize("amount", ["0", "-1", "0.001", "200000.01", "99999999.99"])
def test_an_amount_is_positive_in_fen_and_under_the_ceiling(amount):
    with pytest.raises(ValidationError):
        check_amount(Decimal(amount))


def test_the_ceiling_is_the_branchs():
    assert check_amount(Decimal("200000.00")) == Decimal("200000.00")
    with pytest.raises(ValidationError, match="¥1,000.00"):
        check_amount(Decimal("1000.01"), ceiling=Decimal("1000"))


@pytest.mark.django_db
def test_the_admin_refuses_a_dress_priced_above_the_branch_ceiling(branch):
    from rentals.models import Dress

    branch.amount_ceiling = Decimal("5000")
    branch.save()
    dress = Dress(branch=branch, code="W1", category="wedding_gown", size="M")
    dress.rental_price = Decimal("5000.01")
    with pytest.raises(ValidationError) as caught:
        dress.full_clean()
    assert "rental_price" in caught.value.message_dict


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_quoted(cell):
    assert csv_cell(cell) == "'" + cell


def test_other_csv_cells_are_left_alone():
    assert csv_cell("Shanghai") == "Shanghai"
    assert csv_cell(Decimal("-5.00")) == Decimal("-5.00")


@pytest.mark.django_db
def test_the_managers_csv_neutralises_a_branch_name_beginning_with_equals(login, manager):
    branch = manager.branches.get()
    branch.name = '=HYPERLINK("http://evil")'
    branch.save()
    response = login(manager).get("/studio/reports/", {"format": "csv"})
    body = response.content.decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["orders_ledgerentry", "orders_charge"])
def test_the_ledger_refuses_truncate(order, table):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending FK checks
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table} CASCADE")
    from orders.models import LedgerEntry

    assert LedgerEntry.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_truncating_the_orders_does_not_reach_the_ledger_either(order):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE orders_order CASCADE")
