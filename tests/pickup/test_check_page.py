"""The day-before check page."""

from django.urls import reverse

from pickup.models import ItemCheck
from selection.models import ProductionItem
from studio import roles


def _url(pickup):
    return reverse("pickup:check", args=[pickup.pk])


def test_production_sees_every_item(login, make_staff, pickup, items):
    response = login(make_staff(roles.PRODUCTION)).get(_url(pickup))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="check-item"') == 2


def test_a_fault_goes_back_to_rework(login, pickup_clerk, pickup, items):
    data = {
        f"item_{items[0].pk}": "ok",
        f"item_{items[1].pk}": "error",
        f"note_{items[1].pk}": "Wrong photo in the frame",
    }
    response = login(pickup_clerk).post(_url(pickup), data)
    assert response.status_code == 302
    assert ProductionItem.objects.get(pk=items[1].pk).stage == ProductionItem.Stage.REWORK


def test_a_fault_without_a_note_is_explained_and_nothing_saved(login, pickup_clerk, pickup, items):
    data = {f"item_{items[0].pk}": "ok", f"item_{items[1].pk}": "spot"}
    response = login(pickup_clerk).post(_url(pickup), data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"item_{items[1].pk}"]
    assert not ItemCheck.objects.exists()


def test_cashiers_and_field_roles_are_refused(login, make_staff, photographer, pickup):
    assert login(make_staff(roles.CASHIER)).get(_url(pickup)).status_code == 403
    assert login(photographer).get(_url(pickup)).status_code == 403


def test_another_branch_gets_404(login, make_staff, other_branch, pickup):
    stranger = make_staff(roles.PRODUCTION, branch=other_branch)
    assert login(stranger).get(_url(pickup)).status_code == 404


def test_it_rejects_put(login, pickup_clerk, pickup):
    assert login(pickup_clerk).put(_url(pickup)).status_code == 405
