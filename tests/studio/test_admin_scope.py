"""The admin matrix: every registered admin × its list, change, add, delete and history
pages × a store manager of branch 1 against branch 2's records, a clerk, and head office.

The store manager and the clerk are given every permission of every app, so what refuses
them is the branch scope (studio.admin.BranchScopedAdmin, studio.admin_site), never a
missing permission. The demo studio (two branches) provides the records.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, SolarSchedule

from couple import services as couple_services
from demo_studio import chain as demo
from followups.models import (
    CareRule,
    Complaint,
    InboundReply,
    MessageTemplate,
    SmsSignature,
    SmsTemplateCode,
    WeChatTemplate,
)
from orders import services as order_services
from orders.models import (
    CardBonusRule,
    ImmutableEntry,
    Instalment,
    PlanRevision,
    Transfer,
    TransferredOrder,
)
from pickup.models import LostSlipMemo, PartialPickupMemo, PickupAppointment, Survey
from selection.models import (
    Compensation,
    Favourite,
    LoweredUpsell,
    Photo,
    ProductionItem,
    ProductionLeadTime,
    SelectionSession,
    SessionLength,
)
from shoots.models import CalendarFeed, TimeBudget
from studio import roles
from studio.admin import CHAIN_WIDE, UNDECLARED, branch_path_of, scope_queryset
from studio.models import (
    Branch,
    Customer,
    CustomerChange,
    DataRequest,
    DiscountApproval,
    Kept,
    KeptRecord,
    Leave,
    Package,
    Staff,
    WorkerHeartbeat,
)

from ..factories import StaffFactory

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)
IDS = [m._meta.label for m in MODELS]
# Records that must be kept (issue 7): nobody deletes them in the admin.
KEPT = {
    "orders.Order", "orders.LedgerEntry", "studio.Customer", "studio.Visit",
    "studio.CustomerChange", "orders.ReferralReward", "shoots.Shoot", "followups.CallTask",
    "followups.OutboxMessage", "followups.Complaint", "pickup.PickupAppointment",
    "pickup.LostSlipMemo", "pickup.PartialPickupMemo", "pickup.Survey", "pickup.ItemCheck",
    "rentals.DressReservation", "selection.ProductionItem", "couple.CoupleLink",
    "orders.Transfer", "orders.PlanRevision", "studio.ConsentEvent", "studio.DataRequest",
    "commissions.Credit", "commissions.StatementMonth", "orders.StoredValueCard",
    "orders.CardEntry", "orders.FapiaoRequest", "selection.LoweredUpsell",
    "selection.Compensation",
}  # fmt: skip
# Data of no branch, edited by any store manager (the chain's holidays and ladder). Care
# rules and message templates are the chain's or a branch's own (issue 12, item 6).
CHAIN_WIDE_EDITABLE = {
    "followups.Holiday",
    "studio.MembershipLevelRule",
}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _path(model):
    return getattr(admin.site._registry[model], "branch_path", UNDECLARED)


def _scoped(model):
    return _path(model) not in (CHAIN_WIDE, UNDECLARED)


def _fill_in(b1, b2):
    """Records the demo has none of, in both branches."""
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    CrontabSchedule.objects.get_or_create(minute="0", hour="3")
    SolarSchedule.objects.create(event="sunrise", latitude=31.2, longitude=121.5)
    WorkerHeartbeat.objects.create(name="test", last_seen=timezone.now())
    # The beat schedule comes from code now (studio.schedule), not from migrations.
    call_command("setup_periodic_tasks")
    seen = {"user_agent": "test", "ip_address": "10.0.0.9", "username": "someone"}
    seen |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**seen, locked_out=False)
    AccessLog.objects.create(**seen)
    InboundReply.objects.create(
        provider="alibaba", channel="sms", phone="13900000000", text="TD",
        received_at=timezone.now(), opt_out=True,
    )  # fmt: skip
    WeChatTemplate.objects.create(
        template_key="visit_not_booked", language="zh-hans", template_id="t", fields={"a": "couple"}
    )
    for branch in (b1, b2):
        staff = Staff.objects.filter(branches=branch).exclude(
            branches__in=[b1 if branch == b2 else b2]
        )
        clerk, agent = staff[0], staff[1]
        SessionLength.objects.get_or_create(branch=branch)
        ProductionLeadTime.objects.get_or_create(branch=branch)
        SmsSignature.objects.get_or_create(branch=branch, defaults={"sign_name": branch.name})
        MessageTemplate.objects.create(
            key="deposit_thanks", language="zh-hans", channel="sms", branch=branch, body="{couple}"
        )
        CareRule.objects.create(
            key="deposit_thanks_sms", branch=branch, trigger="deposit_paid", action="message",
            template_key="deposit_thanks",
        )  # fmt: skip
        SmsTemplateCode.objects.get_or_create(
            branch=branch,
            provider="alibaba",
            template_key="visit_not_booked",
            language="zh-hans",
            defaults={"code": "SMS_1"},
        )
        TimeBudget.objects.get_or_create(branch=branch, step="makeup", defaults={"minutes": 50})
        CalendarFeed.objects.get_or_create(staff=clerk)
        Leave.objects.create(
            staff=clerk, agent=agent, starts_on=timezone.localdate(), ends_on=timezone.localdate()
        )
        customer = Customer.objects.filter(branch=branch).first()
        CustomerChange.objects.create(
            customer=customer, staff=clerk, field="wechat", old="a", new="b"
        )
        DataRequest.objects.create(customer=customer, kind="export_json", by=clerk)
        appointment = PickupAppointment.objects.filter(branch=branch).first()
        order = appointment.order
        LostSlipMemo.objects.create(
            appointment=appointment, order=order, id_type="passport", id_number="E1", by=clerk
        )
        memo = PartialPickupMemo.objects.create(
            appointment=appointment,
            order=order,
            rest_at=timezone.now() + timedelta(days=3),
            next_appointment=appointment,
            by=clerk,
        )
        memo.items.set(ProductionItem.objects.filter(order=order)[:1])
        Survey.objects.create(order=order, score=5, by=clerk)
        couple_services.make_link(order=order, by=clerk)
        DiscountApproval.objects.create(
            branch=branch,
            customer=customer,
            package=order.package,
            discount=100,
            requested_by=clerk,
        )
        CardBonusRule.objects.create(branch=branch, top_up=1000, bonus=100)
        LoweredUpsell.objects.create(order=order, amount=100)
        card = order_services.open_card(customer=customer, staff=clerk)
        order_services.top_up_card(card=card, method="cash", amount="1000", staff=clerk)
        order_services.request_fapiao(
            order=order, title_kind="personal", title="张三", amount="1", staff=clerk
        )
        session = SelectionSession.objects.filter(order__branch=branch).first()
        photo = Photo.objects.create(
            session=session, number=9999, original="o.jpg", checksum=f"{branch.pk:064d}",
            uploaded_by=clerk,
        )  # fmt: skip
        Favourite.objects.create(photo=photo, note="brighter")
        only_here = Package.objects.create(
            name=f"Only at {branch.code}", code=f"only-{branch.code}", price=1000, floor_price=900
        )
        only_here.branches.set([branch])
        revision = PlanRevision.objects.create(
            order=order, number=1, by=clerk, balance_then=1000, reason=""
        )
        Instalment.objects.create(
            order=order, revision=revision, due_on=timezone.localdate(), amount=1000
        )
        transfer = Transfer.objects.create(
            customer=customer,
            from_branch=b1 if branch == b2 else b2,
            to_branch=branch,
            reason="moved house",
            accepted_by=clerk,
            owner_after=clerk,
        )
        TransferredOrder.objects.create(transfer=transfer, order=order)
        complaint = Complaint.objects.create(
            branch=branch, customer=order.customer, order=order, text="Late", logged_by=clerk,
            owner=clerk,
        )  # fmt: skip
        Compensation.objects.create(
            branch=branch, customer=order.customer, order=order, complaint=complaint,
            kind="voucher", amount=100, expires_on=timezone.localdate(), reason="Late",
            proposed_by=clerk,
        )  # fmt: skip


def _all_permissions(staff):
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    staff.user.user_permissions.set(Permission.objects.all())
    return staff


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo studio, built once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo.build()
            b1, b2 = Branch.objects.order_by("code")
            _fill_in(b1, b2)
            manager = _all_permissions(StaffFactory(roles=[roles.MANAGER], branches=[b1]))
            clerk = _all_permissions(StaffFactory(roles=[roles.RECEPTIONIST], branches=[b1]))
            chain = Staff.objects.get(user__username="chain_manager")
            yield {"b1": b1, "b2": b2, "manager": manager, "clerk": clerk, "chain": chain}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _other(model, world):
    """A record of branch 2 that is not also branch 1's."""
    rows = model._default_manager.all()
    path = _path(model)
    if path in (CHAIN_WIDE, UNDECLARED):
        return rows.first()
    mine = scope_queryset(rows, path, [world["b1"].pk])
    obj = scope_queryset(rows, path, [world["b2"].pk]).exclude(pk__in=mine.values("pk")).first()
    assert obj is not None, f"no record of branch 2 only for {model._meta.label}"
    return obj


def _own(model, world):
    """A record of branch 1 only: the first its admin lists."""
    path = _path(model)
    rows = scope_queryset(model._default_manager.all(), path, [world["b1"].pk])
    other = scope_queryset(model._default_manager.all(), path, [world["b2"].pk])
    rows = rows.exclude(pk__in=other.values("pk"))
    ordering = getattr(admin.site._registry.get(model), "ordering", None)
    return (rows.order_by(*ordering) if ordering else rows).first()


@pytest.fixture
def as_(client, world, db):
    def do(who):
        client.force_login(world[who].user)
        return client

    return do


def _refused(response, *leaks):
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"].rstrip("/").endswith("/admin"), response["Location"]
    body = response.content.decode()
    for leak in leaks:
        assert leak not in body


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_store_manager_never_reaches_another_branchs_record(as_, world, model):
    client = as_("manager")
    obj = _other(model, world)
    if not _scoped(model):
        if model._meta.label in CHAIN_WIDE_EDITABLE:
            assert client.get(_url(model, "change", obj.pk)).status_code == 200
            return
        # Head office's own pages (users, roles, schedules, the heartbeat): nothing at all.
        assert client.get(_url(model, "changelist")).status_code == 403
        _refused(client.get(_url(model, "change", obj.pk)))
        _refused(client.get(_url(model, "add")))
        _refused(client.get(_url(model, "delete", obj.pk)))
        _refused(client.get(_url(model, "history", obj.pk)))
        return
    change = _url(model, "change", obj.pk)
    listing = client.get(_url(model, "changelist"))
    assert listing.status_code == 200
    assert change not in listing.content.decode()
    assert world["b2"].name not in listing.content.decode()  # not even in a filter
    own = _own(model, world)
    if own is not None:  # the list does show branch 1's records
        assert _url(model, "change", own.pk) in listing.content.decode()
    _refused(client.get(change), change)
    _refused(client.post(change, {}))
    _refused(client.get(_url(model, "delete", obj.pk)), change)
    _refused(client.post(_url(model, "delete", obj.pk), {"post": "yes"}))
    _refused(client.get(_url(model, "history", obj.pk)), change)
    if hasattr(model, "history"):  # one version of its history (simple-history's page)
        version = obj.history.first()
        _refused(client.get(_url(model, "simple_history", obj.pk, version.pk)), change)
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_the_add_form_offers_no_other_branchs_choices(as_, world, model):
    response = as_("manager").get(_url(model, "add"))
    if response.status_code != 200:
        return
    b1 = [world["b1"].pk]
    forms = [response.context["adminform"].form]
    forms += [f for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms]
    forms += [fs.formset.empty_form for fs in response.context["inline_admin_formsets"]]
    for form in forms:
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or branch_path_of(queryset.model) is None:
                continue
            mine = scope_queryset(
                queryset.model._default_manager.all(), branch_path_of(queryset.model), b1
            )
            strangers = set(queryset.values_list("pk", flat=True)) - set(
                mine.values_list("pk", flat=True)
            )
            assert not strangers, f"{model._meta.label}.{name} offers {strangers}"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_a_clerk_is_refused_everywhere(as_, world, model):
    client = as_("clerk")
    obj = _other(model, world)
    assert client.get(_url(model, "changelist")).status_code == 403
    _refused(client.get(_url(model, "add")))
    _refused(client.get(_url(model, "change", obj.pk)))
    _refused(client.get(_url(model, "delete", obj.pk)))
    _refused(client.get(_url(model, "history", obj.pk)))


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_head_office_sees_every_branch(as_, world, model):
    client = as_("chain")
    obj = _other(model, world)
    change = _url(model, "change", obj.pk)
    listing = client.get(_url(model, "changelist"))
    assert listing.status_code == 200
    assert client.get(change).status_code == 200
    assert client.get(_url(model, "history", obj.pk)).status_code == 200
    if hasattr(model, "history"):
        version = obj.history.first()
        assert client.get(_url(model, "simple_history", obj.pk, version.pk)).status_code == 200
    if model._meta.label in KEPT:
        assert client.get(_url(model, "delete", obj.pk)).status_code == 403
        assert "delete_selected" not in listing.content.decode()


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m._meta.label in KEPT], ids=lambda m: m._meta.label
)
def test_kept_records_cannot_be_deleted_by_anyone(as_, world, model):
    own = _own(model, world)
    for who in ("manager", "chain"):
        client = as_(who)
        response = client.post(_url(model, "delete", own.pk), {"post": "yes"})
        assert response.status_code == 403
        listing = client.get(_url(model, "changelist"))
        assert "delete_selected" not in listing.content.decode()
    assert model._default_manager.filter(pk=own.pk).exists()


def test_every_model_is_in_the_matrix():
    """An admin added later is scoped, chain-wide on purpose, or head office's only."""
    for model in MODELS:
        path = _path(model)
        if path is CHAIN_WIDE:
            assert model._meta.label in CHAIN_WIDE_EDITABLE | {"studio.WorkerHeartbeat"}
    assert set(IDS) >= KEPT


def test_saving_a_record_into_another_branch_is_a_form_error(as_, world):
    client = as_("manager")
    b2 = world["b2"]
    response = client.post(
        _url(TimeBudget, "add"), {"branch": b2.pk, "step": "dress", "minutes": 30}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not TimeBudget.objects.filter(branch=b2, step="dress").exists()
    customer = _own(Customer, world)
    data = {
        "branch": b2.pk,
        "bride_name": customer.bride_name,
        "bride_phone": customer.bride_phone or "13800000000",
        "source": customer.source,
        "membership_level": customer.membership_level,
        "language": customer.language,
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00",
    }
    response = client.post(_url(Customer, "change", customer.pk), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Customer.objects.get(pk=customer.pk).branch == world["b1"]


def test_a_store_manager_cannot_give_himself_a_branch_or_a_role(as_, world):
    manager, b1, b2 = world["manager"], world["b1"], world["b2"]
    client = as_("manager")
    change = _url(Staff, "change", manager.pk)
    assert client.get(change).status_code == 200
    response = client.post(
        change,
        {
            "display_name": "New name",
            "personal_phone": manager.personal_phone,
            "is_active": "on",
            "branches": [b1.pk, b2.pk],
            "user": world["chain"].user.pk,
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.display_name == "New name"
    assert set(manager.branches.values_list("pk", flat=True)) == {b1.pk}
    assert manager.user_id != world["chain"].user.pk
    user_change = reverse("admin:auth_user_change", args=[manager.user.pk])
    assert client.get(user_change).status_code == 403
    assert client.post(user_change, {"is_superuser": "on"}).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(_url(Staff, "add")).status_code == 403
    assert client.get(_url(Branch, "add")).status_code == 403
    manager.user.refresh_from_db()
    assert not manager.user.is_superuser


def test_head_office_assigns_staff_to_branches(as_, world):
    manager, b1, b2 = world["manager"], world["b1"], world["b2"]
    client = as_("chain")
    response = client.post(
        _url(Staff, "change", manager.pk),
        {
            "display_name": manager.display_name,
            "personal_phone": manager.personal_phone,
            "is_active": "on",
            "branches": [b1.pk, b2.pk],
            "user": manager.user.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(manager.branches.values_list("pk", flat=True)) == {b1.pk, b2.pk}
    assert client.get(_url(Branch, "add")).status_code == 200


KEPT_MODELS = sorted(
    (m for m in apps.get_models() if issubclass(m, Kept)), key=lambda m: m._meta.label
)


@pytest.mark.parametrize("model", KEPT_MODELS, ids=lambda m: m._meta.label)
def test_kept_records_refuse_delete_in_code_too(world, db, model):
    obj = model._default_manager.first()
    assert obj is not None, model
    with pytest.raises((KeptRecord, ImmutableEntry)):  # a charge says how to correct it
        obj.delete()
    with pytest.raises(KeptRecord):
        model._default_manager.filter(pk=obj.pk).delete()
    assert model._default_manager.filter(pk=obj.pk).exists()
