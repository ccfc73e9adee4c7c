"""The outcome of the confirmation call, recorded on the shoot page, closes the shoot's
open confirmation call tasks; the page lists them with their status."""

from datetime import timedelta

from django.urls import reverse

from followups.models import CallTask
from followups.services import close_call_tasks_for
from shoots import services
from studio import roles


def _calls(book, order, in_ten_days):
    shoot = book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    # Both call points are reached: one call, not two identical ones (issue 8).
    assert CallTask.objects.filter(status=CallTask.Status.OPEN).count() == 1
    return shoot


def test_a_confirmed_shoot_closes_its_call_tasks(book, order, crew, in_ten_days):
    shoot = _calls(book, order, in_ten_days)
    services.record_confirmation(shoot=shoot, outcome="confirmed", by=crew.dispatcher)
    tasks = CallTask.objects.all()
    assert {t.status for t in tasks} == {CallTask.Status.DONE}
    assert {t.outcome_text for t in tasks} == {"Confirmed (on the shoot page)"}
    assert {t.done_by for t in tasks} == {crew.dispatcher}


def test_no_answer_closes_the_tasks_as_failed(book, order, crew, in_ten_days):
    shoot = _calls(book, order, in_ten_days)
    services.record_confirmation(shoot=shoot, outcome="no_answer", by=crew.dispatcher)
    assert set(CallTask.objects.values_list("status", flat=True)) == {CallTask.Status.FAILED}


def test_another_shoots_tasks_stay_open(book, make_order, crew, in_ten_days):
    shoot = _calls(book, make_order(), in_ten_days)
    other = book(make_order(), starts_at=in_ten_days + timedelta(days=1), room=None)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    services.record_confirmation(shoot=shoot, outcome="confirmed", by=crew.dispatcher)
    assert CallTask.objects.filter(occasion__endswith=f":{other.pk}").get().status == "open"


def test_a_task_already_closed_from_the_task_list_is_left_as_it_was(
    book, order, crew, in_ten_days, receptionist
):
    shoot = book(order)
    services.plan_confirmation_calls(now=in_ten_days - timedelta(days=7))
    closed = CallTask.objects.get(occasion=f"shoot-confirm-7d:{shoot.pk}")
    closed.status, closed.outcome = CallTask.Status.FAILED, "Line busy"
    closed.save()
    services.plan_confirmation_calls(now=in_ten_days - timedelta(hours=20))
    services.record_confirmation(shoot=shoot, outcome="confirmed", by=crew.dispatcher)
    closed.refresh_from_db()
    assert (closed.status, closed.outcome) == ("failed", "Line busy")


def test_close_call_tasks_for_matches_exact_occasions(book, make_order, crew, in_ten_days):
    shoot = _calls(book, make_order(), in_ten_days)
    closed = close_call_tasks_for(
        occasions=[f"shoot-confirm-1d:{shoot.pk}"], status="done", outcome="ok", by=crew.dispatcher
    )
    assert closed == 1
    assert CallTask.objects.filter(status="open").count() == 0


def test_the_shoot_page_lists_the_call_tasks(book, order, crew, in_ten_days, login):
    shoot = _calls(book, order, in_ten_days)
    client = login(crew.dispatcher)
    response = client.post(
        reverse("shoots:confirmation", args=[shoot.pk]), {"outcome": "confirmed"}
    )
    assert response.status_code == 302
    body = client.get(reverse("shoots:detail", args=[shoot.pk])).content.decode()
    assert 'data-testid="call-tasks"' in body
    assert body.count("Done: Confirmed (on the shoot page)") == 1


def test_a_bad_outcome_is_explained_and_nothing_closes(book, order, crew, in_ten_days, login):
    shoot = _calls(book, order, in_ten_days)
    response = login(crew.dispatcher).post(
        reverse("shoots:confirmation", args=[shoot.pk]), {"outcome": "maybe"}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert CallTask.objects.filter(status="open").count() == 1


def test_recording_the_outcome_refuses_get(book, order, crew, login):
    shoot = book(order)
    response = login(crew.dispatcher).get(reverse("shoots:confirmation", args=[shoot.pk]))
    assert response.status_code == 405


def test_a_photographer_may_not_record_the_outcome(book, order, crew, login):
    shoot = book(order)
    response = login(crew.photographer).post(
        reverse("shoots:confirmation", args=[shoot.pk]), {"outcome": "confirmed"}
    )
    assert response.status_code == 403


def test_another_branch_may_not_record_the_outcome(book, order, make_staff, other_branch, login):
    shoot = book(order)
    elsewhere = make_staff(roles.DISPATCHER, branch=other_branch)
    response = login(elsewhere).post(
        reverse("shoots:confirmation", args=[shoot.pk]), {"outcome": "confirmed"}
    )
    assert response.status_code == 404
