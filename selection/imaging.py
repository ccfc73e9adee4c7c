"""Pillow's part of the photos: what a JPEG says about itself, and the thumbnail, the
screen-size preview and the watermarked preview made from it (docs/decisions.md, "Photos").

Plain functions on file objects and bytes: no models, no storage, so the bench times
exactly what the processing job does.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from PIL import Image, ImageDraw, ImageFile, ImageFont, ImageOps, UnidentifiedImageError

# Long sides in pixels. The grid shows tiles of about 180 px; a 2x screen wants 360.
THUMBNAIL = 360
PREVIEW = 1920
WATERMARKED = 1280
THUMBNAIL_MAX_BYTES = 60 * 1024

EXIF_ORIENTATION = 0x0112
EXIF_DATETIME = 0x0132
EXIF_IFD = 0x8769
EXIF_DATETIME_ORIGINAL = 0x9003


class BadPhoto(ValueError):
    """Not a JPEG, or a JPEG that cannot be read to its end."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "not_jpeg" | "broken"


@dataclass(frozen=True)
class Facts:
    width: int
    height: int
    orientation: int
    taken_at: datetime | None  # the camera's clock, without a zone


def _taken_at(exif: Image.Exif) -> datetime | None:
    raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(EXIF_DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        # The camera's clock has no zone: the branch's is given to it by the service.
        return datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None


def _load_to_the_end(image: Image.Image) -> None:
    """Decode, refusing a file cut short even when WeasyPrint, imported by the PDF views,
    has told Pillow to pad truncated images (a process-wide switch it sets at import)."""
    padding = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padding


def read(file: IO[bytes]) -> Facts:
    """The size, EXIF orientation and time of a JPEG. The whole file is decoded (at an
    eighth of its size, which JPEG allows cheaply), so a file cut short by a failed copy is
    refused here rather than found by the processing job."""
    try:
        with Image.open(file) as image:
            if image.format != "JPEG":
                raise BadPhoto("not_jpeg")
            width, height = image.size
            exif = image.getexif()
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            _load_to_the_end(image)
    except BadPhoto:
        raise
    except UnidentifiedImageError as exc:
        raise BadPhoto("not_jpeg") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BadPhoto("broken") from exc
    orientation = exif.get(EXIF_ORIENTATION, 1)
    return Facts(
        width=width,
        height=height,
        orientation=orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1,
        taken_at=_taken_at(exif),
    )


def _jpeg(image: Image.Image, quality: int, *, small: bool = False) -> bytes:
    out = io.BytesIO()
    # No EXIF copied: the derived files carry no GPS position or camera serial. Huffman
    # optimisation saves a tenth of the bytes and costs a tenth of a second on a preview:
    # only the thumbnails, sent 800 at a time, get it.
    image.save(out, "JPEG", quality=quality, optimize=small)
    return out.getvalue()


def _thumbnail_bytes(image: Image.Image) -> bytes:
    quality = 75
    data = _jpeg(image, quality, small=True)
    while len(data) >= THUMBNAIL_MAX_BYTES and quality > 30:
        quality -= 10
        data = _jpeg(image, quality, small=True)
    return data


def _font(path: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def watermark(image: Image.Image, text: str, font_path: str) -> Image.Image:
    """The studio's name across the whole picture, in staggered rows, light enough to
    judge the photo and hard to crop away."""
    size = max(14, image.width // 16)
    font = _font(font_path, size)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    text_w, text_h = right - left, bottom - top
    step_x, step_y = text_w + size * 3, text_h + size * 3
    for row, y in enumerate(range(-text_h, image.height + text_h, step_y)):
        offset = (row % 2) * step_x // 2
        for x in range(offset - step_x, image.width + step_x, step_x):
            draw.text(
                (x, y), text, font=font, fill=(255, 255, 255, 96),
                stroke_width=max(1, size // 24), stroke_fill=(0, 0, 0, 64),
            )  # fmt: skip
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def derivatives(file: IO[bytes], *, watermark_text: str, font_path: str) -> dict[str, bytes]:
    """{"thumbnail", "preview", "watermarked"}: JPEG bytes, turned upright by the EXIF
    orientation. The decoder is asked for a reduced size first (JPEG's DCT scaling), so a
    24-megapixel original is never decoded in full for a 1920-pixel preview."""
    with Image.open(file) as image:
        image.draft("RGB", (PREVIEW, PREVIEW))
        upright = ImageOps.exif_transpose(image).convert("RGB")
    # Bicubic: at these reductions as sharp to the eye as Lanczos, in half the time.
    preview = upright.copy()
    preview.thumbnail((PREVIEW, PREVIEW), Image.Resampling.BICUBIC)
    couple = preview.copy()
    couple.thumbnail((WATERMARKED, WATERMARKED), Image.Resampling.BICUBIC)
    thumb = couple.copy()
    thumb.thumbnail((THUMBNAIL, THUMBNAIL), Image.Resampling.BICUBIC)
    return {
        "thumbnail": _thumbnail_bytes(thumb),
        "preview": _jpeg(preview, 85),
        "watermarked": _jpeg(watermark(couple, watermark_text, font_path), 80),
    }


def camera_time(file: IO[bytes]) -> datetime | None:
    """When the camera took the photo (EXIF), read without decoding the picture; None for
    a file that is not an image or has no time."""
    try:
        with Image.open(file) as image:
            return _taken_at(image.getexif())
    except (OSError, SyntaxError, ValueError):
        return None
