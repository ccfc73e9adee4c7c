"""Staff pages: the order's couple links (make, send again, revoke) and the design proofs
(upload, show, open); every other role refused, another branch's order not found."""

import pytest
from django.urls import reverse

from couple.models import CoupleLink
from selection import services
from selection.models import DesignProof
from selection.views import BOARD_ROLES, DESIGNS
from studio import roles
from tests.factories import CustomerFactory, PackageFactory

from .conftest import LINK_ROLES, tiny_jpeg

REFUSED_LINK_ROLES = sorted(set(roles.ALL) - LINK_ROLES)


@pytest.fixture
def other_order(other_branch, make_order, make_staff):
    desk = make_staff(roles.RECEPTIONIST, branch=other_branch)
    couple = CustomerFactory(branch=other_branch, owner=desk)
    return make_order(customer=couple, package=PackageFactory(branches=[other_branch]))


@pytest.mark.parametrize("role", sorted(LINK_ROLES))
def test_the_desk_makes_and_revokes_a_link(login, make_staff, order, role):
    client = login(make_staff(role))
    response = client.post(
        reverse("couple:make_link", args=[order.number]), {"days": "30", "needs_pin": "on"}
    )
    assert response.status_code == 302
    link = CoupleLink.objects.get(order=order)
    assert link.needs_pin
    page = client.get(reverse("couple:links", args=[order.number]), follow=True)
    assert "/c/" in page.content.decode()  # shown once, to send by WeChat
    client.post(reverse("couple:revoke_link", args=[order.number, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_order_page_offers_the_couples_page(login, receptionist, order):
    text = login(receptionist).get(reverse("orders:detail", args=[order.number])).content.decode()
    assert 'data-testid="couple-links"' in text


@pytest.mark.parametrize("days", ["0", "400", "x", ""])
def test_bad_input_is_refused_and_nothing_saved(login, receptionist, order, days):
    response = login(receptionist).post(
        reverse("couple:make_link", args=[order.number]), {"days": days}
    )
    assert response.status_code == 400
    assert not CoupleLink.objects.exists()


def test_revoking_twice_is_a_warning(login, receptionist, order, make_link):
    made = make_link(order)
    client = login(receptionist)
    url = reverse("couple:revoke_link", args=[order.number, made.link.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "already revoked" in response.content.decode()


@pytest.mark.parametrize("role", REFUSED_LINK_ROLES)
def test_every_other_role_is_refused_the_links(login, make_staff, order, make_link, role):
    made = make_link(order)
    client = login(make_staff(role))
    assert client.get(reverse("couple:links", args=[order.number])).status_code == 403
    assert (
        client.post(reverse("couple:make_link", args=[order.number]), {"days": "5"}).status_code
        == 403
    )
    revoke = reverse("couple:revoke_link", args=[order.number, made.link.pk])
    assert client.post(revoke).status_code == 403
    assert CoupleLink.objects.count() == 1 and CoupleLink.objects.get().revoked_at is None


def test_another_branchs_order_is_not_found(login, manager, other_order, make_link):
    made = make_link(other_order)
    client = login(manager)
    assert client.get(reverse("couple:links", args=[other_order.number])).status_code == 404
    assert (
        client.post(
            reverse("couple:make_link", args=[other_order.number]), {"days": "5"}
        ).status_code
        == 404
    )
    revoke = reverse("couple:revoke_link", args=[other_order.number, made.link.pk])
    assert client.post(revoke).status_code == 404
    assert CoupleLink.objects.count() == 1


def test_the_links_page_refuses_a_post_to_its_address(login, receptionist, order):
    response = login(receptionist).post(reverse("couple:links", args=[order.number]))
    assert response.status_code == 405


# --- Design proofs ---


def test_the_designer_uploads_and_shows_the_proofs(login, designer, album):
    client = login(designer)
    page = client.get(reverse("selection:proofs", args=[album.order.number]))
    assert page.status_code == 200 and 'data-testid="upload-proof"' in page.content.decode()
    response = client.post(
        reverse("selection:upload_proof", args=[album.order.number, album.pk]),
        {"file": tiny_jpeg(), "title": "Spread 1"},
    )
    assert response.status_code == 302
    proof = DesignProof.objects.get()
    client.post(reverse("selection:show_proofs", args=[album.order.number]))
    proof.refresh_from_db()
    assert proof.shown_at is not None
    opened = client.get(reverse("selection:proof_file", args=[proof.pk]))
    assert opened.status_code == 200 and opened["Cache-Control"].startswith("private")


def test_a_broken_file_is_refused_with_a_message(login, designer, album):
    response = login(designer).post(
        reverse("selection:upload_proof", args=[album.order.number, album.pk]),
        {"file": tiny_jpeg().__class__("x.jpg", b"GIF89a....", content_type="image/jpeg")},
    )
    assert response.status_code == 400
    assert "Upload a JPEG picture or a PDF." in response.content.decode()
    assert not DesignProof.objects.exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - DESIGNS))
def test_every_other_role_is_refused_uploading_and_showing(login, make_staff, album, role):
    client = login(make_staff(role))
    upload = reverse("selection:upload_proof", args=[album.order.number, album.pk])
    assert client.post(upload, {"file": tiny_jpeg()}).status_code == 403
    assert (
        client.post(reverse("selection:show_proofs", args=[album.order.number])).status_code == 403
    )
    assert not DesignProof.objects.exists()


@pytest.mark.parametrize("role", sorted(set(roles.ALL) - BOARD_ROLES))
def test_every_other_role_is_refused_the_proofs(login, make_staff, shown_proof, role):
    client = login(make_staff(role))
    assert (
        client.get(reverse("selection:proofs", args=[shown_proof.item.order.number])).status_code
        == 403
    )
    assert client.get(reverse("selection:proof_file", args=[shown_proof.pk])).status_code == 403


def test_another_branchs_proofs_are_not_found(login, make_staff, other_branch, shown_proof):
    client = login(make_staff(roles.MANAGER, branch=other_branch))
    number = shown_proof.item.order.number
    assert client.get(reverse("selection:proofs", args=[number])).status_code == 404
    assert client.get(reverse("selection:proof_file", args=[shown_proof.pk])).status_code == 404
    upload = reverse("selection:upload_proof", args=[number, shown_proof.item_id])
    assert client.post(upload, {"file": tiny_jpeg()}).status_code == 404
    assert client.post(reverse("selection:show_proofs", args=[number])).status_code == 404
    assert DesignProof.objects.count() == 1


def test_the_board_shows_what_waits_for_the_couple(
    login, designer, shown_proof, django_assert_max_num_queries
):
    client = login(designer)
    url = reverse("selection:board")
    client.get(url)
    with django_assert_max_num_queries(12):
        text = client.get(url).content.decode()
    assert 'data-testid="waiting-for-couple"' in text and 'data-testid="waits-for-couple"' in text
    services.decide_proof(proof=shown_proof, approve=True)
    assert 'data-testid="waits-for-couple"' not in client.get(url).content.decode()


def test_the_board_refuses_an_album_to_print_before_approval(login, designer, album):
    client = login(designer)
    services.advance_item(item=album, by=designer)
    response = client.post(reverse("selection:move_next", args=[album.pk]), {"from": "design"})
    assert response.status_code == 400
    assert "not been shown" in response.content.decode()
