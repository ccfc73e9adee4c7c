"""Each branch sends its SMS through its own provider, with its own signature, SDK app id
and template codes; store managers keep their own branch's in the admin, nobody else's."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from followups.models import MessageTemplate, OutboxMessage, SmsSignature, SmsTemplateCode
from followups.services import dispatch_due_messages, queue_message, sending_timeout
from studio import roles
from tests.factories import BranchFactory, CustomerFactory, StaffFactory

from .fake_alibaba import FakeAlibabaSms
from .fake_tencent import FakeTencentSms
from .test_celery_dispatch import _daytime_zone

KEY = "visit_not_booked"


@pytest.fixture
def gateways(settings, db):
    template = MessageTemplate.objects.get(key=KEY, language="zh-hans")
    alibaba = FakeAlibabaSms(
        signatures={"幸福影楼静安店"}, templates={"SMS_900001": set(template.parameter_names())}
    )
    tencent = FakeTencentSms(
        app_id="1400000002",
        signatures={"幸福影楼徐汇店"},
        templates={"2000001": len(template.parameter_names())},
    )
    settings.STUDIO_MESSAGE_BACKENDS = {"sms": "followups.gateways.BranchSmsBackend"}
    settings.ALIBABA_SMS_ENDPOINT = alibaba.url
    settings.ALIBABA_CLOUD_ACCESS_KEY_ID = alibaba.key_id
    settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET = alibaba.secret
    settings.TENCENT_SMS_ENDPOINT = tencent.url
    settings.TENCENTCLOUD_SECRET_ID = tencent.secret_id
    settings.TENCENTCLOUD_SECRET_KEY = tencent.secret_key
    settings.TENCENT_SMS_SDK_APP_ID = "1400000001"  # the chain's; the branch names its own
    with alibaba, tencent:
        yield alibaba, tencent


@pytest.fixture
def jingan(db):
    branch = BranchFactory(code="ja", name="Jing'an", timezone=_daytime_zone())
    SmsSignature.objects.create(branch=branch, provider="alibaba", sign_name="幸福影楼静安店")
    SmsTemplateCode.objects.create(
        branch=branch, provider="alibaba", template_key=KEY, language="zh-hans", code="SMS_900001"
    )
    return branch


@pytest.fixture
def xuhui(db):
    branch = BranchFactory(code="xh", name="Xuhui", timezone=_daytime_zone())
    SmsSignature.objects.create(
        branch=branch, provider="tencent", sign_name="幸福影楼徐汇店", sdk_app_id="1400000002"
    )
    SmsTemplateCode.objects.create(
        branch=branch, provider="tencent", template_key=KEY, language="zh-hans", code="2000001"
    )
    return branch


def _queue(branch, occasion="o:1"):
    return queue_message(
        customer=CustomerFactory(branch=branch, language="zh-hans"),
        key=KEY,
        occasion=occasion,
        context={"taker": "李娜"},
        send_after=timezone.now() - timedelta(minutes=1),
    )


def test_each_branch_sends_through_its_own_provider(gateways, jingan, xuhui):
    alibaba, tencent = gateways
    one, two = _queue(jingan), _queue(xuhui)
    assert dispatch_due_messages() == 2
    assert alibaba.received(one.pk) == 1 and tencent.received(one.pk) == 0
    assert tencent.received(two.pk) == 1 and alibaba.received(two.pk) == 0
    assert alibaba.sent[str(one.pk)][0]["template_code"] == "SMS_900001"
    assert tencent.sent[str(two.pk)][0]["template_id"] == "2000001"
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.provider, two.provider) == ("alibaba", "tencent")
    assert one.status == two.status == OutboxMessage.Status.SENT


def test_the_branchs_code_wins_over_the_chains(gateways, jingan):
    MessageTemplate.objects.filter(key=KEY).update(gateway_template_code="SMS_000000")
    message = _queue(jingan)
    dispatch_due_messages()
    assert gateways[0].sent[str(message.pk)][0]["template_code"] == "SMS_900001"


def test_without_a_branch_code_the_chains_code_is_used(gateways, jingan):
    SmsTemplateCode.objects.all().delete()
    MessageTemplate.objects.filter(key=KEY).update(gateway_template_code="SMS_900001")
    message = _queue(jingan)
    assert dispatch_due_messages() == 1
    assert gateways[0].received(message.pk) == 1


def test_a_branch_without_a_gateway_sends_nothing(gateways, jingan):
    SmsSignature.objects.all().delete()
    message = _queue(jingan)
    dispatch_due_messages()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and "no SMS gateway" in message.error


def test_a_message_in_doubt_is_asked_at_the_provider_that_took_it(gateways, jingan):
    alibaba, tencent = gateways
    message = _queue(jingan)
    from followups.gateways import BranchSmsBackend

    BranchSmsBackend().send(message)  # the dead worker's call went through Alibaba
    SmsSignature.objects.filter(branch=jingan).update(provider="tencent", sdk_app_id="1")
    stale = timezone.now() - sending_timeout() - timedelta(seconds=1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_by="dead", claimed_at=stale, called_at=stale
    )
    assert dispatch_due_messages() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    # One query a day asked: a claim just before midnight in China asks that day, then the next.
    assert alibaba.queries >= 1 and tencent.queries == 0 and alibaba.received(message.pk) == 1


@pytest.mark.parametrize(
    ("provider", "code", "field"),
    [
        ("tencent", "SMS_1", "code"),
        ("alibaba", "1110001", "code"),
        ("alibaba", "SMS_1", "template_key"),
    ],
)
def test_a_wrong_template_code_is_refused(db, jingan, provider, code, field):
    row = SmsTemplateCode(
        branch=jingan,
        provider=provider,
        template_key="no_such" if field == "template_key" else KEY,
        language="zh-hans",
        code=code,
    )
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.parametrize(("provider", "app_id"), [("tencent", "14000x"), ("alibaba", "1400")])
def test_a_wrong_sdk_app_id_is_refused(db, jingan, provider, app_id):
    gateway = SmsSignature.objects.get(branch=jingan)
    gateway.provider, gateway.sdk_app_id = provider, app_id
    with pytest.raises(ValidationError) as refused:
        gateway.full_clean()
    assert "sdk_app_id" in refused.value.message_dict


# --- the admin ---


def _admin_user(role, branch):
    staff = StaffFactory(roles=[role], branches=[branch])
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    return staff


def test_a_store_manager_edits_his_branchs_gateway_and_codes(client, jingan):
    client.force_login(_admin_user(roles.MANAGER, jingan).user)
    gateway = SmsSignature.objects.get(branch=jingan)
    response = client.post(
        f"/admin/followups/smssignature/{gateway.pk}/change/",
        {"branch": jingan.pk, "provider": "tencent", "sign_name": "新签名", "sdk_app_id": "14"},
    )
    assert response.status_code == 302, response.text
    gateway.refresh_from_db()
    assert (gateway.provider, gateway.sign_name, gateway.sdk_app_id) == ("tencent", "新签名", "14")
    response = client.post(
        "/admin/followups/smstemplatecode/add/",
        {
            "branch": jingan.pk,
            "provider": "tencent",
            "template_key": KEY,
            "language": "en",
            "code": "3000001",
        },
    )
    assert response.status_code == 302, response.text
    assert SmsTemplateCode.objects.filter(branch=jingan, code="3000001").exists()


def test_bad_input_in_the_admin_is_refused_with_a_reason(client, jingan):
    client.force_login(_admin_user(roles.MANAGER, jingan).user)
    response = client.post(
        "/admin/followups/smstemplatecode/add/",
        {
            "branch": jingan.pk,
            "provider": "tencent",
            "template_key": KEY,
            "language": "en",
            "code": "SMS_1",
        },
    )
    assert response.status_code == 200
    assert "A Tencent Cloud template id is digits only." in response.text
    assert not SmsTemplateCode.objects.filter(code="SMS_1").exists()


def test_a_store_manager_cannot_reach_another_branchs_gateway(client, jingan, xuhui):
    client.force_login(_admin_user(roles.MANAGER, jingan).user)
    other = SmsSignature.objects.get(branch=xuhui)
    code = SmsTemplateCode.objects.get(branch=xuhui)
    assert client.get(f"/admin/followups/smssignature/{other.pk}/change/").status_code in {
        302,
        404,
    }
    assert client.get(f"/admin/followups/smstemplatecode/{code.pk}/change/").status_code in {
        302,
        404,
    }
    listing = client.get("/admin/followups/smstemplatecode/")
    assert "2000001" not in listing.text and "SMS_900001" in listing.text
    response = client.post(
        "/admin/followups/smstemplatecode/add/",
        {"branch": xuhui.pk, "provider": "tencent", "template_key": KEY, "language": "en",
         "code": "3000002"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not SmsTemplateCode.objects.filter(code="3000002").exists()


@pytest.mark.parametrize(
    "role", [r for r in roles.ALL if r not in {roles.MANAGER, roles.CHAIN_MANAGER}]
)
def test_every_other_role_is_refused(client, jingan, role):
    client.force_login(_admin_user(role, jingan).user)
    gateway = SmsSignature.objects.get(branch=jingan)
    for url in (
        f"/admin/followups/smssignature/{gateway.pk}/change/",
        "/admin/followups/smstemplatecode/",
        "/admin/followups/smstemplatecode/add/",
    ):
        assert client.get(url).status_code in {302, 403}, (role, url)


def test_the_list_renders_in_chinese_with_constant_queries(
    client, jingan, django_assert_max_num_queries
):
    client.force_login(_admin_user(roles.MANAGER, jingan).user)
    for n in range(12):
        SmsTemplateCode.objects.create(
            branch=jingan, provider="tencent", template_key=f"key{n}", language="en", code=f"{n}"
        )
    with django_assert_max_num_queries(20):
        response = client.get("/admin/followups/smstemplatecode/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "短信模板编号" in response.text and "key11" in response.text
