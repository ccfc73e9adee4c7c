"""The photos of a session: upload, processing and serving (docs/decisions.md, "Photos").

Writes and reads of `Photo`, kept apart from services.py (the control sheet and the
picks) because they deal in files. Other pages use only these functions:
`photos_of(order)`, `open_photo(photo, kind)` and the `Photo` fields `thumbnail`,
`preview`, `watermarked`.
"""

import hashlib
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followups.models import SmsSignature
from orders.models import Order, State
from studio import roles
from studio.models import Branch, Staff

from . import imaging, signals
from .models import FAVOURITE_NOTE_MAX, Favourite, Photo, SelectionSession, photo_storage

# Photos are added while the couple has not yet signed their list; until then, too, the
# couple marks favourites at home.
OPEN_STATES = (State.SHOT, State.SELECTING)
KINDS = ("thumbnail", "preview", "watermarked")
# Who uploads and looks at the photos: who holds the files (the photographer, the
# retoucher who keeps the files), the consultant who shows them, the manager. Photos are
# not money or phones: field staff may see them.
PHOTO_ROLES = frozenset(
    {roles.PHOTOGRAPHER, roles.RETOUCHER, roles.SELECTION_CONSULTANT, roles.MANAGER}
)
# A photo on S3 is answered with a signed address that works this long (docs/decisions.md,
# "Photos"): long enough for the browser to follow it, too short to pass around.
SIGNED_URL_SECONDS = 300
# The couple is told their photos are ready when no photo came in for this long.
QUIET_MINUTES = 10


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


def signed_url(field: Any, *, seconds: int = SIGNED_URL_SECONDS) -> str | None:
    """A short-lived signed address of the file on S3-compatible storage, for the view to
    redirect to once it has checked who asks; None when the storage cannot sign one (the
    local folder, or a bucket configured without query-string signatures): the view
    streams the file itself then. Signing is local arithmetic: no request to S3."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return None
    storage = field.storage
    if not isinstance(storage, S3Storage) or not storage.querystring_auth:
        return None
    if storage.custom_domain and not storage.cloudfront_signer:
        return None  # an address on a custom domain would be public, not signed
    url: str = storage.url(
        field.name,
        parameters={
            "ResponseContentType": "image/jpeg",
            "ResponseCacheControl": f"private, max-age={seconds}",
        },
        expire=seconds,
    )
    return url


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
            locked = (
                Order.objects.select_for_update(of=("self",))
                .select_related("branch")
                .get(pk=order.pk)
            )
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


def announce_ready_photos(*, now: datetime | None = None) -> int:
    """Tell the couples whose photos are ready (a periodic job), once per batch: every
    photo of the session has its previews (the files check that gates the selection,
    selectors.files_ready), none was uploaded in the last QUIET_MINUTES (so a couple is
    not told while the upload is still going on), and some came in since the couple was
    last told (the first upload, or a batch the studio added later). The couple's page
    sends them their link. Returns how many sessions were announced."""
    now = now or timezone.now()
    ready = (
        SelectionSession.objects.filter(order__state__in=OPEN_STATES)
        .annotate(
            total=Count("photos"),
            waiting=Count("photos", filter=Q(photos__processed_at__isnull=True)),
            last=Max("photos__uploaded_at"),
            newest=Max("photos__pk"),
        )
        .filter(total__gt=0, waiting=0, last__lte=now - timedelta(minutes=QUIET_MINUTES))
        .filter(
            Q(photos_announced_through__isnull=True) | Q(newest__gt=F("photos_announced_through"))
        )
        .values_list("pk", flat=True)
    )
    return sum(announce_photos_ready(session_id=pk, now=now) for pk in list(ready))


def announce_photos_ready(*, session_id: int, now: datetime | None = None) -> bool:
    """Announce one session's new photos ready (the `photos_ready` signal, in this
    transaction), if they are and it was not done for them: two workers (the job run
    twice) may both find the batch ready; the conditional update of the newest photo told
    about lets one of them announce. A photo's id is given under the session's lock
    (`add_photo`), so the session's photos commit in the order of their ids and none
    slips in below the newest told about. Nothing is announced once the list is signed or
    the order cancelled. Returns whether this call announced."""
    now = now or timezone.now()
    with transaction.atomic():
        session = SelectionSession.objects.select_related("order").get(pk=session_id)
        if session.order.state not in OPEN_STATES:
            return False
        facts = Photo.objects.filter(session_id=session_id).aggregate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(processed_at__isnull=True)),
            last=Max("uploaded_at"),
            newest=Max("pk"),
        )
        if not facts["total"] or facts["waiting"]:
            return False
        told = session.photos_announced_through
        if told is not None and facts["newest"] <= told:
            return False
        if facts["last"] > now - timedelta(minutes=QUIET_MINUTES):
            return False
        as_read = (
            Q(photos_announced_through__isnull=True)
            if told is None
            else Q(photos_announced_through=told)
        )
        claimed = SelectionSession.objects.filter(as_read, pk=session_id).update(
            photos_ready_at=now, photos_announced_through=facts["newest"]
        )
        if not claimed:
            return False
        signals.photos_ready.send(sender=SelectionSession, order=session.order)
    return True


# --- Favourites marked at home (the couple's page) ---


def _home_photo(order: Order, photo_id: int) -> Photo:
    """The photo, if it is one of the order's with its previews, while the couple may still
    mark favourites; under a lock on the order, so a signature waits for the mark (and a
    mark after it is refused)."""
    locked = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
    if locked.state not in OPEN_STATES:
        raise ValidationError(
            _("Your selection is confirmed: your favourites can no longer be changed.")
        )
    photo = Photo.objects.filter(
        pk=photo_id, session__order_id=locked.pk, processed_at__isnull=False
    ).first()
    if photo is None:
        raise ValidationError(_("This photo is not on your page."))
    return photo


def mark_favourite(
    *, order: Order, photo_id: int, favourite: bool, now: datetime | None = None
) -> Favourite | None:
    """Mark or unmark one of the order's photos as a favourite from home. Says the state
    wanted rather than flipping it, so a double tap or a retry changes nothing; the couple
    never confirms the list here (that stays in the studio). Returns the row (None when
    unmarking a photo never marked)."""
    with transaction.atomic():
        photo = _home_photo(order, photo_id)
        found = Favourite.objects.filter(photo=photo).first()
        if found is None:
            if not favourite:
                return None
            return Favourite.objects.create(
                photo=photo, chosen=True, changed_at=now or timezone.now()
            )
        if found.chosen != favourite:
            found.chosen, found.changed_at = favourite, now or timezone.now()
            found.save(update_fields=["chosen", "changed_at"])
        return found


def write_note(*, order: Order, photo_id: int, note: str, now: datetime | None = None) -> Favourite:
    """The couple's note on one of their photos (“brighter”, “this one for the wall”), read
    by the consultant next to the photo. At most FAVOURITE_NOTE_MAX characters; an empty
    note takes it away."""
    note = " ".join((note or "").split())
    if len(note) > FAVOURITE_NOTE_MAX:
        raise ValidationError(
            {
                "note": _("A note is at most %(max)d characters (this one has %(length)d).")
                % {"max": FAVOURITE_NOTE_MAX, "length": len(note)}
            }
        )
    with transaction.atomic():
        photo = _home_photo(order, photo_id)
        found, _created = Favourite.objects.get_or_create(
            photo=photo, defaults={"chosen": False, "note": note}
        )
        if found.note != note:
            found.note, found.changed_at = note, now or timezone.now()
            found.save(update_fields=["note", "changed_at"])
        return found
