"""The photos of a session: upload, processing and serving (docs/decisions.md, "Photos").

Writes and reads of `Photo`, kept apart from services.py (the control sheet and the
picks) because they deal in files. Other pages use only these functions:
`photos_of(order)`, `open_photo(photo, kind)` and the `Photo` fields `thumbnail`,
`preview`, `watermarked`.
"""

import hashlib
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followups.models import SmsSignature
from orders.models import Order, State
from studio.models import Branch, Staff

from . import imaging
from .models import Photo, SelectionSession, photo_storage

# Photos are added while the couple has not yet signed their list.
OPEN_STATES = (State.SHOT, State.SELECTING)
KINDS = ("thumbnail", "preview", "watermarked")


def photos_of(order: Order) -> QuerySet[Photo]:
    """The photos of the order's session, in shooting order."""
    return Photo.objects.filter(session__order=order).order_by("number")


def open_photo(photo: Photo, kind: str) -> IO[bytes]:
    """One of the photo's files, opened for reading: "thumbnail", "preview",
    "watermarked". The caller checks who may see it; FileNotFoundError before the
    processing job made it."""
    if kind not in KINDS:
        raise ValueError(kind)
    field = getattr(photo, kind)
    if not field:
        raise FileNotFoundError(kind)
    opened: IO[bytes] = field.storage.open(field.name, "rb")
    return opened


def _checksum(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _camera_time(taken: datetime | None, branch: Branch) -> datetime | None:
    return timezone.make_aware(taken, branch.tzinfo) if taken else None


def check_photo(upload: File, *, name: str) -> tuple[str, imaging.Facts]:
    """The file's checksum and EXIF facts, or a ValidationError naming the file and what
    is wrong with it: empty, too big, not a JPEG, broken."""
    size = upload.size or 0
    limit = settings.STUDIO_PHOTO_MAX_BYTES
    if not size:
        raise ValidationError({"file": _("“%(name)s” is empty.") % {"name": name}})
    if size > limit:
        raise ValidationError(
            {
                "file": _("“%(name)s” is larger than %(mb)s MB: it cannot be a camera JPEG.")
                % {"name": name, "mb": limit // (1024 * 1024)}
            }
        )
    checksum = _checksum(upload)
    try:
        facts = imaging.read(upload)
    except imaging.BadPhoto as exc:
        message = (
            _("“%(name)s” is not a JPEG photo.")
            if exc.reason == "not_jpeg"
            else _("“%(name)s” is broken or cut short: copy it from the card again.")
        )
        raise ValidationError({"file": message % {"name": name}}) from exc
    upload.seek(0)
    return checksum, facts


def _already(session: SelectionSession, *, number: int, checksum: str) -> Photo | None:
    """The same file under the same number: None if new; refused if either is taken by
    another."""
    same = session.photos.filter(number=number).first()
    if same is not None:
        if same.checksum == checksum:
            return same
        raise ValidationError(
            {
                "number": _("Photo %(number)s is already uploaded from another file (%(name)s).")
                % {"number": number, "name": same.original_name or "—"}
            }
        )
    twin = session.photos.filter(checksum=checksum).values_list("number", flat=True).first()
    if twin is not None:
        raise ValidationError(
            {"file": _("This file is already uploaded as photo %(number)s.") % {"number": twin}}
        )
    return None


def add_photo(
    *, order: Order, number: int, upload: File, name: str = "", by: Staff
) -> tuple[Photo, bool]:
    """Add photo `number` of the order's session from an uploaded JPEG. Returns (photo,
    created). The same file under the same number again is skipped (created False), so an
    interrupted upload can simply be started again; another file under a taken number, or
    the same file under two numbers, is refused.

    The original is written to the private storage before the row and removed again if
    the row is refused; the previews are made by a Celery job once the row is committed.
    """
    name = (name or upload.name or "").rsplit("/", 1)[-1][:200]
    if number < 1:
        raise ValidationError({"number": _("Photo numbers start at 1.")})
    checksum, facts = check_photo(upload, name=name)
    existing = SelectionSession.objects.filter(order=order).first()
    if existing is not None:
        found = _already(existing, number=number, checksum=checksum)
        if found is not None:
            return found, False
    if order.state not in OPEN_STATES:
        raise ValidationError(
            _("This order is %(state)s: its photos cannot be changed now.")
            % {"state": order.get_state_display()}
        )
    storage = photo_storage()
    stored = storage.save(
        f"{order.pk}/original/{number:05d}.jpg", File(upload, name=f"{number:05d}.jpg")
    )
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().select_related("branch").get(pk=order.pk)
            if locked.state not in OPEN_STATES:
                raise ValidationError(
                    _("This order is %(state)s: its photos cannot be changed now.")
                    % {"state": locked.get_state_display()}
                )
            session, _new = SelectionSession.objects.select_for_update().get_or_create(order=locked)
            found = _already(session, number=number, checksum=checksum)
            if found is not None:
                storage.delete(stored)
                return found, False
            photo = Photo.objects.create(
                session=session,
                number=number,
                original=stored,
                original_name=name,
                size=upload.size or 0,
                checksum=checksum,
                width=facts.width,
                height=facts.height,
                orientation=facts.orientation,
                taken_at=_camera_time(facts.taken_at, locked.branch),
                uploaded_by=by,
            )
            highest = session.photos.aggregate(m=Max("number"))["m"] or 0
            session.photo_count = max(session.photo_count, highest)
            session.files_transferred_at = session.files_transferred_at or timezone.now()
            session.save(update_fields=["photo_count", "files_transferred_at"])
            transaction.on_commit(lambda: _queue_processing(photo.pk))
    except (ValidationError, IntegrityError):
        storage.delete(stored)
        raise
    return photo, True


def _queue_processing(photo_id: int) -> None:
    from .tasks import process_photo as task

    task.delay(photo_id)


def watermark_text(branch: Branch) -> str:
    """The name the couple knows the studio by: the branch's SMS signature, else the
    studio's name (settings.STUDIO_NAME)."""
    signature = (
        SmsSignature.objects.filter(branch=branch).values_list("sign_name", flat=True).first()
    )
    return signature or settings.STUDIO_NAME


def process_photo(*, photo_id: int, now: datetime | None = None) -> bool:
    """Make the photo's thumbnail, preview and watermarked preview. Idempotent: a photo
    already processed is left alone, and of two workers on the same photo only the first
    to record its files keeps them (a conditional update); the other removes its own.
    Returns whether this call made the previews."""
    photo = (
        Photo.objects.select_related("session__order__branch")
        .filter(pk=photo_id, processed_at__isnull=True)
        .first()
    )
    if photo is None:
        return False
    branch = photo.session.order.branch
    with photo.original.open("rb") as original:
        made = imaging.derivatives(
            original,
            watermark_text=watermark_text(branch),
            font_path=settings.STUDIO_WATERMARK_FONT,
        )
    storage = photo_storage()
    names: dict[str, Any] = {
        kind: storage.save(
            f"{photo.session.order_id}/{kind}/{photo.number:05d}.jpg", ContentFile(data)
        )
        for kind, data in made.items()
    }
    claimed = Photo.objects.filter(pk=photo.pk, processed_at__isnull=True).update(
        processed_at=now or timezone.now(), **names
    )
    if not claimed:
        for name in names.values():
            storage.delete(name)
        return False
    return True


def process_waiting(*, session: SelectionSession) -> int:
    """Queue the job again for the session's photos without previews (a worker that was
    down). Returns how many were queued."""
    waiting = list(session.photos.filter(processed_at__isnull=True).values_list("pk", flat=True))
    for pk in waiting:
        _queue_processing(pk)
    return len(waiting)
