"""The planning document (企划书) lists what the package includes, line by line, in the
customer's language, with the package's note; the catalogue page shows the lines too."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from studio.models import Customer, PackageLine
from studio.products import Included


@pytest.fixture
def contents(package):
    package.contents_note = "赠送相框一个"
    package.save()
    PackageLine.objects.create(package=package, kind=Included.ENLARGEMENT, size='24"')
    PackageLine.objects.create(package=package, kind=Included.SECOND_MAKEUP, position=1)
    return package


def _planning_text(client, order):
    response = client.get(reverse("orders:planning_document", args=[order.number]))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return "".join(p.extract_text() for p in pages).replace("\n", "")  # lines wrap anywhere


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ['Enlargement 24" × 1', "Second makeup × 1"]),
        ("zh-hans", ['放大 24" × 1', "第二次化妆 × 1"]),
    ],
)
def test_the_planning_document_lists_the_contents(
    login, receptionist, contents, order, language, words
):
    Customer.objects.filter(pk=order.customer_id).update(language=language)
    text = _planning_text(login(receptionist), order)
    for word in words:
        assert word in text
    assert "赠送相框一个" in text


def test_the_planning_document_takes_the_same_queries_with_more_lines(
    login, receptionist, contents, order, django_assert_max_num_queries
):
    client = login(receptionist)
    with django_assert_max_num_queries(40) as few:
        _planning_text(client, order)
    for size in ('16"', '20"', '30"'):
        PackageLine.objects.create(package=contents, kind=Included.ENLARGEMENT, size=size)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _planning_text(client, order)


def test_the_catalogue_shows_the_lines(login, receptionist, contents, branch):
    contents.branches.add(branch)
    page = login(receptionist).get(reverse("studio:packages"))
    assert page.status_code == 200
    assert "Second makeup × 1" in page.text and "赠送相框一个" in page.text
