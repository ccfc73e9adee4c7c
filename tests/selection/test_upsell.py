"""The live upsell: what the package covers, what is extra, the price per line (单项计价)."""

from decimal import Decimal

from selection import selectors, services
from selection.models import PriceItem


def _price(branch, product, size=""):
    return PriceItem.objects.get(branch=branch, product=product, size=size)


def test_nothing_beyond_the_package_costs_nothing(session, consultant):
    services.pick(session=session, numbers=range(1, 31), pass_="confirmed", by=consultant)
    summary = selectors.summary(session)
    assert summary.total == Decimal("0")
    assert all(line.extra == 0 for line in summary.lines)


def test_extra_photos_and_pages_are_priced_from_the_branch_list(session, consultant, branch):
    services.pick(session=session, numbers=range(1, 36), pass_="confirmed", by=consultant)
    for page in range(1, 23):
        services.pick(
            session=session, numbers={page}, pass_="confirmed", by=consultant, album_page=page
        )
    lines = {line.product: line for line in selectors.summary(session).lines}
    assert (lines["extra_photo"].extra, lines["extra_photo"].unit_price) == (5, Decimal("100"))
    assert lines["extra_photo"].amount == Decimal("500")
    assert (lines["extra_page"].extra, lines["extra_page"].amount) == (2, Decimal("400"))
    assert selectors.summary(session).total == Decimal("900")


def test_products_are_priced_item_by_item(session, consultant, branch):
    services.add_product(
        session=session, price_item=_price(branch, "enlargement", '24"'), quantity=2,
        by=consultant, photo_number=12,
    )  # fmt: skip
    services.add_product(
        session=session, price_item=_price(branch, "usb"), quantity=1, by=consultant
    )
    lines = [line for line in selectors.summary(session).lines if line.extra]
    assert [(line.label, line.amount) for line in lines] == [
        ('Enlargement 24" #12', Decimal("1760")),
        ("Image files on USB", Decimal("800")),
    ]
    assert selectors.summary(session).total == Decimal("2560")


def test_a_manager_edit_of_the_price_list_shows_at_once(session, consultant, branch):
    item = _price(branch, "crystal")
    services.add_product(session=session, price_item=item, quantity=1, by=consultant)
    PriceItem.objects.filter(pk=item.pk).update(price=Decimal("999"))
    assert selectors.summary(session).total == Decimal("999")


def test_another_branchs_price_item_is_refused(session, consultant, other_branch):
    import pytest
    from django.core.exceptions import ValidationError

    services.price_list(branch=other_branch)
    with pytest.raises(ValidationError):
        services.add_product(
            session=session, price_item=_price(other_branch, "usb"), quantity=1, by=consultant
        )


def test_a_new_branch_gets_the_default_price_list(branch):
    prices = {(p.product, p.size): p.price for p in services.price_list(branch=branch)}
    assert prices[("enlargement", '30"')] == Decimal("1280.00")
    assert len(prices) == 9
