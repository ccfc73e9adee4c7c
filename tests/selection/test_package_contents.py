"""What a package includes, as lines (issue 14, item 7): the selection covers the couple's
products with them and charges only beyond them; the page says how much is used."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders.models import Charge
from selection import selectors, services
from selection.models import PriceItem
from studio.models import PackageLine
from studio.products import COVERS_PRODUCTS, Included, Product


def _price(branch, product, size=""):
    return PriceItem.objects.get(branch=branch, product=product, size=size)


def _add(session, consultant, branch, product, size="", quantity=1, photo=None):
    return services.add_product(
        session=session,
        price_item=_price(branch, product, size),
        quantity=quantity,
        by=consultant,
        photo_number=photo,
    )


def _include(package, kind, size="", quantity=1, name=""):
    return PackageLine.objects.create(
        package=package, kind=kind, size=size, quantity=quantity, name=name
    )


def test_the_included_enlargement_is_covered_and_the_second_charged(
    session, consultant, branch, package
):
    _include(package, Included.ENLARGEMENT, '24"')
    _add(session, consultant, branch, "enlargement", '24"', photo=3)
    summary = selectors.summary(session)
    assert summary.total == Decimal("0")
    assert [(a.label, a.used, a.included) for a in summary.allowances] == [
        ('Enlargement 24"', 1, 1)
    ]
    _add(session, consultant, branch, "enlargement", '24"', photo=7)
    summary = selectors.summary(session)
    charged = [(line.label, line.extra, line.amount) for line in summary.lines if line.extra]
    assert charged == [('Enlargement 24" #7', 1, Decimal("880.00"))]


def test_a_line_of_one_size_does_not_cover_another(session, consultant, branch, package):
    _include(package, Included.ENLARGEMENT, '24"')
    _add(session, consultant, branch, "enlargement", '30"')
    summary = selectors.summary(session)
    assert summary.total == Decimal("1280.00")
    assert summary.allowances[0].used == 0


def test_a_line_of_any_size_covers_what_the_sized_line_leaves(session, consultant, branch, package):
    _include(package, Included.ENLARGEMENT, "", quantity=1)
    _include(package, Included.ENLARGEMENT, '16"', quantity=1)
    _add(session, consultant, branch, "enlargement", '16"', quantity=2)
    summary = selectors.summary(session)
    assert summary.total == Decimal("0")
    used = {a.line.size: a.used for a in summary.allowances}
    assert used == {'16"': 1, "": 1}


def test_a_quantity_is_covered_in_part(session, consultant, branch, package):
    _include(package, Included.FRAME, quantity=2)
    _add(session, consultant, branch, "frame", quantity=3)
    (line,) = [line for line in selectors.summary(session).lines if line.product == "frame"]
    assert (line.chosen, line.included, line.extra, line.amount) == (3, 2, 1, Decimal("300.00"))


def test_a_service_covers_nothing_of_the_price_list(session, consultant, branch, package):
    _include(package, Included.SECOND_MAKEUP)
    _include(package, Included.PRINT, '6"', quantity=20)
    _add(session, consultant, branch, "usb")
    assert selectors.summary(session).total == Decimal("800.00")


def test_the_signed_list_charges_only_beyond_the_package(
    selecting_order, session, consultant, branch, package, confirm
):
    _include(package, Included.ENLARGEMENT, '24"')
    _include(package, Included.USB)
    _add(session, consultant, branch, "enlargement", '24"', quantity=2, photo=5)
    _add(session, consultant, branch, "usb")
    confirm(selecting_order)
    charges = Charge.objects.filter(order=selecting_order, kind=Charge.Kind.SELECTION_UPSELL)
    assert [(c.amount, str(c.description_text)) for c in charges] == [
        (Decimal("880.00"), 'Enlargement 24" #5 × 1')
    ]
    # Production makes what the package includes too.
    made = selecting_order.production_items.filter(product__in=["enlargement", "usb"])
    assert sorted((i.product, i.quantity) for i in made) == [("enlargement", 2), ("usb", 1)]


def test_the_products_a_line_may_cover_are_the_price_lists(session):
    from selection.models import ADDED

    assert {Included(p.value) for p in ADDED} == COVERS_PRODUCTS
    assert {p.value for p in ADDED} <= set(Product.values)


def test_another_line_must_say_what_it_is(package):
    with pytest.raises(ValidationError) as caught:
        PackageLine(package=package, kind=Included.OTHER, name="  ").full_clean()
    assert caught.value.message_dict["name"] == ["Say what this line includes."]
    line = PackageLine(package=package, kind=Included.OTHER, name="婚纱照片墙")
    line.full_clean()
    assert line.label == "婚纱照片墙"


def test_the_session_page_shows_what_is_used_of_each_line(
    selecting_order, session, consultant, branch, package, login
):
    package.contents_note = "赠送相框一个"
    package.save()
    _include(package, Included.ENLARGEMENT, '24"')
    _include(package, Included.SECOND_MAKEUP)
    _add(session, consultant, branch, "enlargement", '24"')
    page = login(consultant).get(reverse("selection:session", args=[selecting_order.number]))
    assert page.status_code == 200
    text = page.text
    assert "Enlargement 24&quot;" in text or 'Enlargement 24"' in text
    assert "included: 1 of 1 used" in text
    assert "included: 0 of 1 used" not in text  # the second makeup is done, not picked
    assert "Second makeup</span><span>× 1" in text
    assert "赠送相框一个" in text


def test_the_session_page_in_chinese_says_it_too(
    selecting_order, session, consultant, branch, package, login
):
    _include(package, Included.ENLARGEMENT, '24"')
    _add(session, consultant, branch, "enlargement", '24"')
    client = login(consultant)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("selection:session", args=[selecting_order.number]))
    assert "放大" in page.text and "已用 1 / 共 1" in page.text


def test_the_session_page_takes_the_same_queries_for_few_or_many_lines(
    selecting_order, session, consultant, branch, package, login, django_assert_max_num_queries
):
    client = login(consultant)
    url = reverse("selection:session", args=[selecting_order.number])
    _include(package, Included.FRAME)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for size in ('16"', '20"', '24"', '30"'):
        _include(package, Included.ENLARGEMENT, size)
        _add(session, consultant, branch, "enlargement", size, quantity=2)
    _include(package, Included.SECOND_MAKEUP)
    _add(session, consultant, branch, "frame", quantity=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_confirm_page_shows_what_the_package_covers(
    selecting_order, session, consultant, branch, package, login
):
    _include(package, Included.ENLARGEMENT, '24"', quantity=2)
    _add(session, consultant, branch, "enlargement", '24"')
    client = login(consultant)
    url = reverse("selection:confirm", args=[selecting_order.number])
    assert '1 / 2</td><td class="text-end small text-muted">in the package' in client.get(url).text
    client.cookies["django_language"] = "zh-hans"
    assert "套系内含" in client.get(url).text
