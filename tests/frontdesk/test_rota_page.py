"""The manager's rota page."""

from django.urls import reverse

from studio.models import Rota

URL = reverse("studio:rota")


def test_it_shows_todays_rota(login, manager, rota, takers):
    response = login(manager).get(URL)
    assert response.status_code == 200
    assert b"Taker A" in response.content and b'data-testid="rota"' in response.content


def test_it_sets_todays_rota(login, manager, takers, branch):
    response = login(manager).post(URL, {"takers": [takers[1].pk, takers[0].pk]})
    assert response.status_code == 302
    rota = Rota.objects.get(branch=branch, day=branch.today())
    assert {s.staff for s in rota.slots.all()} == {takers[0], takers[1]}


def test_it_needs_someone_on_the_rota(login, manager):
    response = login(manager).post(URL, {"takers": []})
    assert response.status_code == 400
    assert "takers" in response.context["form"].errors
    assert not Rota.objects.exists()


def test_it_rejects_put(login, manager):
    assert login(manager).put(URL).status_code == 405


def test_receptionists_may_not_set_the_rota(login, receptionist, takers):
    assert login(receptionist).post(URL, {"takers": [takers[0].pk]}).status_code == 403
    assert not Rota.objects.exists()


def test_staff_of_another_branch_cannot_be_put_on_it(login, manager, other_receptionist):
    response = login(manager).post(URL, {"takers": [other_receptionist.pk]})
    assert response.status_code == 400
    assert not Rota.objects.exists()


def test_another_branchs_manager_sets_only_their_own(
    login, make_staff, other_branch, takers, branch
):
    from studio import roles

    boss = make_staff(roles.MANAGER, branch=other_branch)
    response = login(boss).post(URL, {"takers": [takers[0].pk]})
    assert response.status_code == 400
    assert not Rota.objects.filter(branch=branch).exists()
