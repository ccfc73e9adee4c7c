"""The manager's rota page: who takes walk-ins today, in the order the manager gives."""

from django.urls import reverse

from studio import roles
from studio.models import Rota

URL = reverse("studio:rota")


def _turns(*pairs):
    """_turns((staff, 1), (staff, 2)) -> the form's POST data."""
    return {f"turn_{staff.pk}": turn for staff, turn in pairs}


def test_it_shows_todays_rota_with_the_turns_filled_in(login, manager, rota, takers):
    response = login(manager).get(URL)
    assert response.status_code == 200
    assert b"Taker A" in response.content and b'data-testid="rota"' in response.content
    form = response.context["form"]
    assert [form[f"turn_{t.pk}"].value() for t in takers] == [1, 2, 3]


def test_it_sets_todays_rota_in_the_order_given(login, manager, takers, branch):
    response = login(manager).post(URL, _turns((takers[2], 1), (takers[0], 5)))
    assert response.status_code == 302
    rota = Rota.objects.get(branch=branch, day=branch.today())
    assert [s.staff for s in rota.slots.all()] == [takers[2], takers[0]]


def test_the_round_robin_follows_the_managers_order(login, manager, takers, branch, receptionist):
    from tests.frontdesk.test_rota import _close, _walk_in

    login(manager).post(URL, _turns((takers[1], 1), (takers[2], 2), (takers[0], 3)))
    seen = []
    for n in range(4):
        visit = _walk_in(branch, receptionist, n)
        seen.append(visit.taker)
        _close(visit, receptionist)
    assert seen == [takers[1], takers[2], takers[0], takers[1]]


def test_it_needs_someone_on_the_rota(login, manager, takers):
    response = login(manager).post(URL, {})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Rota.objects.exists()


def test_it_refuses_two_takers_with_the_same_turn(login, manager, takers):
    response = login(manager).post(URL, _turns((takers[0], 1), (takers[1], 1)))
    assert response.status_code == 400
    assert "different turn" in str(response.context["form"].non_field_errors())
    assert not Rota.objects.exists()


def test_it_refuses_a_turn_that_is_not_a_number(login, manager, takers):
    response = login(manager).post(URL, {f"turn_{takers[0].pk}": "first"})
    assert response.status_code == 400
    assert f"turn_{takers[0].pk}" in response.context["form"].errors
    assert not Rota.objects.exists()


def test_it_rejects_put(login, manager):
    assert login(manager).put(URL).status_code == 405


def test_receptionists_may_not_set_the_rota(login, receptionist, takers):
    assert login(receptionist).post(URL, _turns((takers[0], 1))).status_code == 403
    assert not Rota.objects.exists()


def test_staff_of_another_branch_cannot_be_put_on_it(login, manager, other_receptionist):
    response = login(manager).post(URL, _turns((other_receptionist, 1)))
    assert response.status_code == 400
    assert not Rota.objects.exists()


def test_another_branchs_manager_sets_only_their_own(
    login, make_staff, other_branch, takers, branch
):
    boss = make_staff(roles.MANAGER, branch=other_branch)
    response = login(boss).post(URL, _turns((takers[0], 1)))
    assert response.status_code == 400
    assert not Rota.objects.filter(branch=branch).exists()
