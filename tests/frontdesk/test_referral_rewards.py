"""A referred couple signs: the referrer earns a voucher and, at thresholds, a better card."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from orders.models import LedgerEntry, ReferralReward
from orders.services import reward_referral
from studio.models import Customer, MembershipLevelRule

from ..factories import CustomerFactory


@pytest.fixture
def ladder(db):
    MembershipLevelRule.objects.all().delete()
    for level, needed, reward in [
        ("silver", 1, "Voucher: one enlargement"),
        ("gold", 3, "Voucher: 500 off"),
        ("diamond", 6, "Anniversary session"),
    ]:
        MembershipLevelRule.objects.create(level=level, referrals_needed=needed, reward=reward)


@pytest.fixture
def referrer(branch, receptionist):
    return CustomerFactory(branch=branch, owner=receptionist, bride_name="Referrer Bride")


@pytest.fixture
def refer(branch, receptionist, referrer, make_order):
    """refer() -> the signed order of a new couple referred by `referrer`."""

    def do():
        couple = CustomerFactory(
            branch=branch, owner=receptionist, referrer=referrer, source=Customer.Source.REFERRAL
        )
        return make_order(customer=couple)

    return do


def level_of(customer):
    return Customer.objects.get(pk=customer.pk).membership_level


def test_signing_a_referred_order_rewards_the_referrer_and_upgrades_to_silver(
    ladder, refer, referrer
):
    order = refer()
    reward = ReferralReward.objects.get(referred_order=order)
    assert reward.referrer == referrer
    assert reward.reward == "Voucher: one enlargement"
    assert (reward.level_before, reward.level_after) == ("none", "silver")
    assert level_of(referrer) == "silver"


def test_the_reward_is_a_voucher_not_money_in_the_ledger(ladder, refer, referrer):
    refer()
    assert not LedgerEntry.objects.filter(order__customer=referrer).exists()


def test_rewarding_twice_for_the_same_order_rewards_once(ladder, refer):
    order = refer()
    again = reward_referral(order=order)
    assert again == ReferralReward.objects.get(referred_order=order)
    assert ReferralReward.objects.count() == 1


def test_a_couple_nobody_referred_earns_nobody_a_reward(ladder, order):
    assert reward_referral(order=order) is None
    assert not ReferralReward.objects.exists()


def test_thresholds_raise_the_card_silver_gold_diamond(ladder, refer, referrer):
    levels = []
    for _ in range(6):
        refer()
        levels.append(level_of(referrer))
    assert levels == ["silver", "silver", "gold", "gold", "gold", "diamond"]
    rewards = list(
        ReferralReward.objects.order_by("created_at", "pk").values_list("reward", flat=True)
    )
    assert rewards[1] == "Voucher: one enlargement"
    assert rewards[2] == "Voucher: 500 off"
    assert rewards[5] == "Anniversary session"


def test_a_second_order_of_the_same_couple_counts_the_couple_once(
    ladder, refer, referrer, make_order
):
    first = refer()
    make_order(customer=first.customer)
    make_order(customer=first.customer)
    assert ReferralReward.objects.count() == 3
    assert level_of(referrer) == "silver"


def test_a_card_never_goes_down(ladder, refer, referrer):
    Customer.objects.filter(pk=referrer.pk).update(membership_level="gold")
    order = refer()
    reward = ReferralReward.objects.get(referred_order=order)
    assert (reward.level_before, reward.level_after) == ("gold", "gold")
    assert level_of(referrer) == "gold"


def test_the_customer_file_shows_referrals_and_rewards(
    ladder, refer, referrer, login, receptionist
):
    order = refer()
    response = login(receptionist).get(reverse("overview:customer", args=[referrer.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html
    assert "Voucher: one enlargement" in html
    assert "Membership upgraded to Silver" in html


def test_the_customer_file_shows_the_reward_in_chinese(
    ladder, refer, referrer, login, receptionist
):
    refer()
    client = login(receptionist)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("overview:customer", args=[referrer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voucher: one enlargement" in html
    assert "会员升级为" in html


@pytest.mark.django_db(transaction=True)
def test_two_referred_couples_signing_at_once_count_as_two(ladder, branch, receptionist, referrer):
    from orders import services as order_services

    from ..factories import PackageFactory

    package = PackageFactory(branches=[branch])
    MembershipLevelRule.objects.filter(level="silver").update(referrals_needed=2)
    couples = [
        CustomerFactory(branch=branch, owner=receptionist, referrer=referrer) for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    errors = []

    def sign(couple):
        try:
            barrier.wait()
            order_services.create_order(
                customer=couple,
                package=package,
                owner=receptionist,
                created_by=receptionist,
                deposit="1000",
                deposit_method="cash",
            )
        except Exception as exc:  # noqa: BLE001 - the test reports what each thread got
            errors.append(exc)
        finally:
            connection.close()
            close_old_connections()

    threads = [threading.Thread(target=sign, args=(c,)) for c in couples]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert ReferralReward.objects.filter(referrer=referrer).count() == 2
    assert level_of(referrer) == "silver"
    assert sorted(ReferralReward.objects.values_list("level_after", flat=True)) == [
        "none",
        "silver",
    ]
