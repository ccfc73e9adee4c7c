"""Store managers' and head office's permissions in the admin, kept in step with the models.

The roles' groups were given their permissions by data migrations (studio 0002, 0012, and
one per model since); a model added later and not named by one stayed out of reach of the
store managers who run their branch in the admin (their rooms, vehicles, dresses, price
list, rota, leave). Here the policy is written once, and `sync` applies it after every
`migrate` (Django's `post_migrate`), so a new model of the studio's apps gets it too:

- head office (`chain_manager`) holds every permission of the studio's apps;
- a store manager holds every permission of the studio's apps, but for the models named in
  `MANAGER_ONLY`, where they hold only the actions listed (what head office keeps).

The admin still decides per record: a store manager sees and saves only their branches'
rows, and an admin's `chain_only` actions stay head office's (docs/decisions.md, "The
admin"). Other roles do not work in the admin at all; their groups are left as they are.
"""

from django.conf import settings

from . import roles

ACTIONS = ("view", "add", "change", "delete")

# "app_label.model": the actions a store manager keeps; the rest are head office's.
MANAGER_ONLY = {
    # Head office registers the branches' signatures with the SMS provider; a store
    # manager keeps their branch's gateway (provider, signature, app id) up to date.
    "followups.smssignature": ("view", "change"),
    # One WeChat Official Account for the chain: its templates are head office's.
    "followups.wechattemplate": (),
    # Customers' SMS replies are written by the gateways' callbacks; head office reads them.
    "followups.inboundreply": (),
    # Messages are written by the rules and sent by the outbox, never typed in the admin.
    "followups.outboxmessage": ("view",),
    # A care rule is switched off, not deleted (its messages point at it).
    "followups.carerule": ("view", "add", "change"),
    # The holidays come with the calendar; a manager switches one off or moves it.
    "followups.holiday": ("view", "change"),
    # Complaints are logged at the front desk and resolved through the service.
    "followups.complaint": ("view", "change"),
    # A package's contents are the chain's catalogue, edited by head office with the package.
    "studio.packageline": ("view",),
    # The difference of a list signed for less is decided on the cashier's page (a refund
    # goes through the ledger), never edited in the admin.
    "selection.loweredupsell": ("view",),
    # The reminders worker's heartbeat is written by the worker.
    "studio.workerheartbeat": ("view",),
    # The trail of a customer's changes is written by the edits themselves.
    "studio.customerchange": ("view",),
    # Commission credits are written from the ledger, months locked and sales shared on
    # the commission pages (commissions.services); the rules are the managers' to keep.
    "commissions.credit": ("view",),
    "commissions.statementmonth": ("view",),
    "commissions.saleshare": ("view",),
    "commissions.reckoned": (),
    # A couple's links are made and revoked on the order's page (the token is not kept).
    "couple.couplelink": ("view",),
    # Design proofs are uploaded on the proofs page and answered by the couple.
    "selection.designproof": ("view",),
    # Compensations are proposed and approved on their pages, where an approval takes
    # effect once (the voucher's code, the free item, the refund's entry).
    "selection.compensation": ("view",),
    # A voucher's uses are taken and given back at the desk (selection.services), under
    # the voucher's lock; append-only.
    "selection.voucheruse": ("view",),
    # Favourites and their notes are the couple's own, marked on their page.
    "selection.favourite": ("view",),
}

# Head office's besides the studio's apps: users and roles, beat schedules, the state
# log, login lockouts.
CHAIN_ALSO = ("auth", "django_celery_beat", "django_fsm_log", "axes")


def wanted(permissions):
    """{role: set of permission ids} for the store managers and head office, from
    `permissions`: (id, app_label, model, codename) of every permission there is."""
    ours = set(settings.PROJECT_APPS)
    manager, chain = set(), set()
    for pk, app, model, codename in permissions:
        if app in ours:
            chain.add(pk)
            action = codename.partition("_")[0]
            allowed = MANAGER_ONLY.get(f"{app}.{model}", ACTIONS)
            if action in allowed:
                manager.add(pk)
        elif app in CHAIN_ALSO:
            chain.add(pk)
    return {roles.MANAGER: manager, roles.CHAIN_MANAGER: chain}


def sync(sender=None, using="default", apps=None, **kwargs):
    """Give the two groups exactly what `wanted` says (post_migrate receiver; idempotent).
    `migrate` sends the signal once per app, in INSTALLED_APPS order, and contrib.auth
    creates each app's permissions on that app's signal: so this runs on the last app's,
    when every permission exists."""
    from django.apps import apps as registry
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender is not list(registry.get_app_configs())[-1]:
        return

    rows = Permission.objects.using(using).values_list(
        "pk", "content_type__app_label", "content_type__model", "codename"
    )
    for name, ids in wanted(rows).items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(ids)
