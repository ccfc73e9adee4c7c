"""Demo selections and production for one branch, through the selection services.

Call after the branch's orders exist (before or after `pickup.demo.seed`):
`selection.demo.seed(branch, team, rng)`.
"""

from datetime import timedelta

from django.core.files.base import ContentFile

from orders.models import Order, State
from studio import roles

from . import selectors, services
from .models import Pick, ProductionItem, SelectionSession

# A blank one-page PDF: the demo's album layouts (看设计), approved by the couple.
LAYOUT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 842 595]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

OUTFITS = ["白纱 White gown", "晚装 Evening dress", "旗袍 Qipao", "外景 Outdoor"]


def _pick_all(session, rng, by, *, direct):
    """Three passes: a first look, the good ones kept, the confirmed list with pages.
    Orders that already left "selecting" get their rows written as they were then."""
    taken = session.photo_count or 300
    first = sorted(rng.sample(range(1, taken + 1), min(taken, rng.randint(60, 90))))
    keep = sorted(rng.sample(first, len(first) * 2 // 3))
    wanted = session.order.package.retouched_photos + rng.choice([-2, 0, 4, 10])
    confirmed = sorted(rng.sample(keep, min(len(keep), max(wanted, 1))))
    pages = session.order.package.album_pages + rng.choice([0, 0, 2])
    if not direct:
        services.pick(session=session, numbers=first, pass_="first", by=by)
        services.pick(session=session, numbers=keep, pass_="keep", by=by)
        for i, number in enumerate(confirmed):
            services.pick(
                session=session, numbers={number}, pass_="confirmed", by=by,
                outfit=OUTFITS[i * len(OUTFITS) // len(confirmed)],
                album_page=i % pages + 1 if i < pages * 2 else None,
            )  # fmt: skip
        return confirmed
    Pick.objects.bulk_create(
        [Pick(session=session, number=n, pass_kind="first", picked_by=by) for n in first]
        + [Pick(session=session, number=n, pass_kind="keep", picked_by=by) for n in keep]
        + [
            Pick(
                session=session,
                number=n,
                pass_kind="confirmed",
                picked_by=by,
                outfit=OUTFITS[i * len(OUTFITS) // len(confirmed)],
                album_page=i % pages + 1 if i < pages * 2 else None,
            )
            for i, n in enumerate(confirmed)
        ]
    )
    return confirmed


def seed(branch, team, rng):
    """Picks for every order at or past the selection, products on the lists, and the
    production items of orders in production spread over the stages (one in rework, some
    due within 2 days so the board shows late ones). Returns the sessions it filled."""
    consultants = [s for s in team if roles.SELECTION_CONSULTANT in s.role_set] or team
    makers = [s for s in team if s.role_set & {roles.RETOUCHER, roles.PRODUCTION}] or team
    prices = list(
        services.price_list(branch=branch).filter(
            product__in=["enlargement", "frame", "crystal", "usb"]
        )
    )
    sessions = list(
        SelectionSession.objects.filter(
            order__branch=branch,
            order__state__in=[State.SELECTING, State.SELECTED, State.IN_PRODUCTION],
        )
        .select_related("order__package", "order__branch", "order__customer")
        .order_by("order__signed_at")
    )
    for session in sessions:
        order = session.order
        by = session.consultant or rng.choice(consultants)
        selecting = order.state == State.SELECTING
        confirmed = _pick_all(session, rng, by, direct=not selecting)
        if selecting:
            for item in rng.sample(prices, 2):
                services.add_product(
                    session=session, price_item=item, quantity=1, by=by,
                    photo_number=rng.choice(confirmed) if item.product == "enlargement" else None,
                )  # fmt: skip
        elif order.state == State.SELECTED and not order.production_items.exists():
            services.make_production_items(
                order=order,
                session=session,
                summary=selectors.summary(session),
                due=branch.today() + timedelta(days=selectors.production_days(branch)),
            )
    _spread(branch, rng, makers)
    return sessions


def _approved_design(item, by):
    """The designer shows the couple the album's layout and they approve it on their page."""
    proof = services.upload_proof(
        item=item, upload=ContentFile(LAYOUT_PDF, name="layout.pdf"), by=by, title="1–2"
    )
    services.show_proofs(order=item.order, by=by)
    services.decide_proof(proof=proof, approve=True)


def _spread(branch, rng, makers):
    """Orders in production: items with due dates, moved on by the production staff."""
    orders = list(
        Order.objects.filter(branch=branch, state=State.IN_PRODUCTION).order_by("signed_at")
    )
    today = branch.today()
    reworked = False
    for n, order in enumerate(orders):
        items = list(order.production_items.all())
        # The last is due soon (the pickup demo books the first ones a few days out): the
        # board's late list and the owner's call.
        late = n == len(orders) - 1
        due = today + timedelta(days=1 if late else rng.choice([5, 9, 14]))
        ProductionItem.objects.filter(order=order, due_date__isnull=True).update(due_date=due)
        for i, item in enumerate(items):
            by = rng.choice(makers)
            steps = (n + i) % 4  # retouch, design, print, QC
            for _ in range(steps):
                if item.stage == ProductionItem.Stage.DESIGN and item.product == "album":
                    _approved_design(item, by)
                item = services.advance_item(item=item, by=by)
            if steps == 3 and n and not reworked:
                services.fail_qc(item=item, by=by, reason="相册第 3 页色偏 Colour cast on page 3")
                reworked = True
    return orders


def compensate(branch, team, complaints):
    """The first complaint settled with a voucher a manager approved (¥100 of it used on
    their order); the second with a refund still waiting for the manager (no money moves
    in the demo's ledger)."""
    manager = next(s for s in team if s.has_role(roles.MANAGER))
    service = next((s for s in team if s.has_role(roles.CUSTOMER_SERVICE)), manager)
    given = []
    if complaints:
        voucher = services.propose_compensation(
            by=service,
            complaint=complaints[0],
            kind="voucher",
            amount="300",
            expires_on=branch.today() + timedelta(days=365),
            reason="下次拍摄抵用 Towards their next shoot",
        )
        given.append(services.approve_compensation(compensation=voucher, by=manager))
        # A third of it already taken off their order at the desk: the rest is left.
        order = complaints[0].order
        if order is not None and order.state != "cancelled" and order.balance_due >= 100:
            services.redeem_voucher(
                order=order, code=given[-1].voucher_code, amount="100", staff=manager
            )
    if len(complaints) > 1 and complaints[1].order and complaints[1].order.paid >= 200:
        given.append(
            services.propose_compensation(
                by=service,
                complaint=complaints[1],
                kind="refund",
                amount="200",
                method="wechat",
                reason="化妆等待过久 Waited too long for makeup",
            )
        )
    return given
