"""One couple from the desk to the makeup chair, in a real browser: the receptionist registers
the walk-in, closes the consultation as booked and signs with a deposit; the dispatcher books
the shoot from the control sheet at short notice, checks the couple in on the day (taking the
balance there) and hands them to the dress stylist, then to the makeup artist, whose tablet
shows the couple without money or phone numbers."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, State
from shoots import services as shoot_services
from shoots.models import Room, Shoot
from studio import roles
from tests.factories import BranchFactory, PackageFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13955556666"


@pytest.fixture
def studio():
    branch = BranchFactory(code="jr1", name="Journey branch", pay_in_full_before_shoot=True)
    people = {
        name: StaffFactory(roles=[role], branches=[branch], display_name=label, user__username=name)
        for name, role, label in [
            ("desk", roles.RECEPTIONIST, "Desk Li"),
            ("disp", roles.DISPATCHER, "Dispatch Chen"),
            ("photo", roles.PHOTOGRAPHER, "Photo Zhou"),
            ("dress", roles.DRESS_STYLIST, "Dress Zhao"),
            ("mua", roles.MAKEUP_ARTIST, "Makeup Sun"),
        ]
    }
    PackageFactory(name="Eternal Vow", branches=[branch], is_signature=True)
    Room.objects.create(branch=branch, name="Studio 1")
    return branch, people


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")


def _soon(branch):
    """A start a few minutes from now, on today's date at the branch."""
    start = timezone.localtime(timezone.now() + timedelta(minutes=6), branch.tzinfo)
    return start.replace(second=0, microsecond=0)


def test_a_walk_in_goes_from_the_desk_to_the_makeup_chair(studio, live_server, page):
    from playwright.sync_api import expect

    branch, people = studio
    # The receptionist registers the walk-in, books them, signs with a deposit.
    _log_in(page, live_server, "desk")
    page.goto(live_server.url + reverse("studio:visit_new"))
    page.get_by_test_id("customer-search").type(PHONE)
    expect(page.get_by_test_id("search-results")).to_contain_text("No couple on file")
    page.fill("#id_bride_name", "Zhou Xin")
    page.fill("#id_bride_phone", PHONE)
    page.fill("#id_groom_name", "Liu Yang")
    page.get_by_test_id("register-visit").click()
    expect(page.get_by_test_id("taker")).to_have_text("Desk Li")
    page.check("input[name=outcome][value=booked]")
    page.get_by_role("button", name="Close the consultation").click()
    page.wait_for_selector("[data-testid=sign-form]")
    page.select_option("#id_package", label="Eternal Vow")
    page.fill("#id_discount", "300")
    page.fill("#id_deposit", "2000")
    page.get_by_role("button", name="Sign and take the deposit").click()
    expect(page.get_by_test_id("paid")).to_have_text("¥2,000.00")
    order = Order.objects.get()
    assert order.state == State.BOOKED and order.agreed_price == 8500

    # The dispatcher finds the order waiting on the control sheet and books it for today.
    _log_in(page, live_server, "disp")
    page.goto(live_server.url + reverse("shoots:day"))
    start = _soon(branch)
    if start.date() == branch.today():
        page.get_by_test_id(f"book-{order.number}").click()
        page.fill("#id_date", start.strftime("%Y-%m-%d"))
        page.fill("#id_time", start.strftime("%H:%M"))
        page.get_by_role("button", name="Show who is free").click()
        page.select_option("#id_photographer", label="Photo Zhou")
        page.select_option("#id_dress_stylist", label="Dress Zhao")
        page.select_option("#id_makeup_artist", label="Makeup Sun")
        page.select_option("#id_room", label="Studio 1")
        page.get_by_role("button", name="Book", exact=True).click()
        expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text(
            "less than 7 days ahead"
        )
        page.check("#id_short_notice_confirmed")
        page.get_by_role("button", name="Book", exact=True).click()
        page.wait_for_url(re.compile(r"/shoots/\d+/$"))
    else:  # a few minutes before midnight: the shoot is booked for today from the service
        shoot_services.book_shoot(
            order=order,
            starts_at=datetime.combine(branch.today(), time(23, 59), branch.tzinfo),
            by=people["disp"],
            photographer=people["photo"],
            dress_stylist=people["dress"],
            makeup_artist=people["mua"],
            room=Room.objects.get(),
            short_notice_confirmed=True,
            now=timezone.now() - timedelta(hours=1),
        )
    shoot = Shoot.objects.get()
    order.refresh_from_db()
    assert order.state == State.SCHEDULED

    # On the day: check in, taking the balance there (this branch wants it paid first).
    page.goto(live_server.url + reverse("shoots:detail", args=[shoot.pk]))
    page.fill("#id_locker_key", "A12")
    page.select_option("#id_balance_method", "wechat")
    page.check("#id_briefed")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator(".alert-success")).to_contain_text("Checked in.")
    order.refresh_from_db()
    assert order.state == State.SHOOTING and order.balance_due == 0
    page.get_by_role("button", name="Send to Dress Zhao for Dress selection").click()
    page.get_by_role("button", name="Send to Makeup Sun for Makeup").click()
    expect(page.locator(".alert-success")).to_contain_text("Handed over.")

    # The makeup artist's tablet: the couple is with her; no money, no phone numbers.
    _log_in(page, live_server, "mua")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(live_server.url + reverse("shoots:tablet"))
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text("Zhou Xin & Liu Yang")
    body = page.inner_text("body")
    assert "¥" not in body and PHONE not in body
