import pytest
from django.urls import reverse

from couple import services
from followups.models import OutboxMessage
from selection import services as selection
from studio import roles
from tests.selection.conftest import (  # noqa: F401
    approve_design,
    book_selection,
    confirm,
    consultant,
    make_shot_order,
    production_order,
    retoucher,
    selecting_order,
    shot_order,
    the_day_after_tomorrow,
    tiny_jpeg,
)


@pytest.fixture
def designer(retoucher):  # noqa: F811
    return retoucher


@pytest.fixture
def make_link(receptionist):
    """make_link(order, **kwargs) -> MadeLink (the token exists only here and in the SMS)."""

    def make(order, **kwargs):
        kwargs.setdefault("by", receptionist)
        return services.make_link(order=order, **kwargs)

    return make


def page_url(made_or_token, name="couple:page", **kwargs):
    token = getattr(made_or_token, "token", made_or_token)
    return reverse(name, kwargs={"token": token, **kwargs})


@pytest.fixture
def album(production_order):  # noqa: F811
    return production_order.production_items.get(product="album")


@pytest.fixture
def shown_proof(album, designer):
    """An album spread shown to the couple, waiting for their answer."""
    proof = selection.upload_proof(item=album, upload=tiny_jpeg(), by=designer, title="Spread 1")
    selection.show_proofs(order=album.order, by=designer)
    proof.refresh_from_db()
    return proof


def last_message(customer, key):
    return OutboxMessage.objects.filter(customer=customer, template_key=key).latest("pk")


LINK_ROLES = {roles.RECEPTIONIST, roles.SELECTION_CONSULTANT, roles.MANAGER}
