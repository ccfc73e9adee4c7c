from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order, State
from selection import services
from studio import roles
from tests.shoots.conftest import book, crew, in_ten_days, shoot_today  # noqa: F401


@pytest.fixture
def consultant(make_staff):
    return make_staff(roles.SELECTION_CONSULTANT, display_name="Feng Xue")


@pytest.fixture
def make_shot_order(make_order):
    """An order that has been shot. The shooting day itself is tested in tests/shoots;
    here the state is set directly so several couples can be shot at once."""

    def make(**kwargs):
        order = make_order(**kwargs)
        Order.objects.filter(pk=order.pk).update(state=State.SHOT)
        order.refresh_from_db()
        return order

    return make


@pytest.fixture
def shot_order(make_shot_order):
    return make_shot_order()


@pytest.fixture
def the_day_after_tomorrow():
    start = timezone.localtime() + timedelta(days=2)
    return start.replace(hour=14, minute=0, second=0, microsecond=0)


@pytest.fixture
def book_selection(consultant, receptionist, the_day_after_tomorrow):
    """book_selection(order, **overrides) -> SelectionSession."""

    def do(order, **kwargs):
        kwargs.setdefault("starts_at", the_day_after_tomorrow)
        kwargs.setdefault("consultant", consultant)
        kwargs.setdefault("by", receptionist)
        return services.book_selection(order=order, **kwargs)

    return do


@pytest.fixture
def selecting_order(shot_order, consultant):
    """An order whose couple sits at the selection: 200 photos transferred and complete."""
    services.mark_files(
        order=shot_order, transferred=True, complete=True, photo_count=200, by=consultant
    )
    services.start_selection(order=shot_order, by=consultant)
    shot_order.refresh_from_db()
    return shot_order


@pytest.fixture
def session(selecting_order):
    return selecting_order.selection


@pytest.fixture
def confirm(consultant):
    """confirm(order, **overrides): pick the confirmed numbers and sign the list."""

    def do(order, numbers=range(1, 11), **kwargs):
        session = order.selection
        for pass_ in ("first", "keep", "confirmed"):
            services.pick(session=session, numbers=numbers, pass_=pass_, by=consultant)
        kwargs.setdefault("by", consultant)
        services.confirm_selection(order=order, **kwargs)
        order.refresh_from_db()
        return order

    return do


@pytest.fixture
def production_order(selecting_order, confirm, consultant):
    """An order in production: 10 photos confirmed, the window waived, sent on."""
    confirm(selecting_order, waive_change_window=True)
    services.send_to_production(order=selecting_order, by=consultant)
    selecting_order.refresh_from_db()
    return selecting_order


@pytest.fixture
def retoucher(make_staff):
    return make_staff(roles.RETOUCHER, display_name="Qian Mo")


def tiny_jpeg(colour=(200, 120, 120), size=(8, 8)):
    """A small real JPEG, made here (tests make their own pictures)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return SimpleUploadedFile("spread.jpg", out.getvalue(), content_type="image/jpeg")


def approve_design(item, by):
    """The designer shows the album's layout and the couple approves it (看设计)."""
    proof = services.upload_proof(item=item, upload=tiny_jpeg(), by=by, title="Spread 1")
    services.show_proofs(order=item.order, by=by)
    return services.decide_proof(proof=proof, approve=True)


def walk_to_qc(item, by):
    """Retouch → design → print → QC; an album's design approved by the couple on the way."""
    for _ in range(3):
        if item.stage == "design" and item.product == "album":
            approve_design(item, by)
        item = services.advance_item(item=item, by=by)
    item.refresh_from_db()
    return item


# --- Photos: small JPEGs made by the tests, a private storage in a temporary folder ---


def make_jpeg(size=(120, 80), *, color=(200, 120, 80), orientation=None, taken=None, fmt="JPEG"):
    """Bytes of a small image; `orientation` and `taken` ("2026:12:01 10:00:00") go into
    its EXIF."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    # A dark corner tells where the top-left went after rotation.
    image.paste((0, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif[0x0132] = taken
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


@pytest.fixture
def photo_folder(tmp_path, settings):
    """The photos' private storage in a temporary folder (not under MEDIA_ROOT)."""
    folder = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "selection.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


@pytest.fixture
def upload(photo_folder, consultant, monkeypatch, django_capture_on_commit_callbacks):
    """upload(order, number, data=None, name=...) -> (photo, created), the previews made
    as the Celery job would (the job's queueing is recorded, not sent)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from selection import photos

    queued = []
    monkeypatch.setattr(photos, "_queue_processing", queued.append)

    def do(order, number, data=None, name=None, by=None, process=True):
        data = data if data is not None else make_jpeg(color=(number * 7 % 255, 90, 60))
        file = SimpleUploadedFile(name or f"IMG_{number:04d}.JPG", data, "image/jpeg")
        before = len(queued)
        with django_capture_on_commit_callbacks(execute=True):
            result = photos.add_photo(order=order, number=number, upload=file, by=by or consultant)
        if process and result[1]:
            photos.process_photo(photo_id=result[0].pk)
        assert queued[before:] == ([result[0].pk] if result[1] else [])
        return result

    return do


# --- Compensation for complaints and delays (issue 14, item 6) ---


@pytest.fixture
def customer_service(make_staff):
    return make_staff(roles.CUSTOMER_SERVICE, display_name="Hu Jing")


@pytest.fixture
def complaint(order, receptionist):
    """A complaint about an order with ¥2,000 paid (its deposit)."""
    from followups.services import log_complaint

    return log_complaint(
        customer=order.customer, order=order, text="The album cover is scratched",
        logged_by=receptionist,
    )  # fmt: skip


@pytest.fixture
def delay_call(production_order):
    """The call apologising for a late production (selection.services.alert_late_production)."""
    from followups.models import CallTask
    from selection.models import ProductionItem

    ProductionItem.objects.filter(order=production_order).update(
        due_date=production_order.branch.today() + timedelta(days=1)
    )
    services.alert_late_production()
    return CallTask.objects.get(occasion=f"production-late:{production_order.pk}")


@pytest.fixture
def enlargement(branch):
    """The branch's 24" enlargement, from its price list."""
    return services.price_list(branch=branch).get(product="enlargement", size='24"')
