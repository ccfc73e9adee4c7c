"""Time the photos' processing: what one Celery worker does per photo.

    python manage.py bench_photos --count 5             # 5 synthetic 6 MB JPEGs
    python manage.py bench_photos --count 20 --megabytes 8

Synthetic 24-megapixel JPEGs of about --megabytes each (noise over a gradient, EXIF
orientation 6 like a camera held upright) are written to a temporary folder; each is then
checked as the upload checks it (checksum, full decode) and processed as the job processes
it (`selection.imaging.derivatives`, the three files written to a storage in a temporary
folder), one after the other, as a worker with one process does. The database rows are
left out (a few milliseconds a photo). Prints the seconds per photo and what 800 would take.
"""

import hashlib
import io
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand
from PIL import Image

from selection import imaging

WIDTH, HEIGHT = 6000, 4000


def synthetic_jpeg(megabytes: float, seed: int) -> bytes:
    """A 24-megapixel JPEG of roughly `megabytes`: noise is what keeps a JPEG big."""
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    noise = [Image.effect_noise((WIDTH, HEIGHT), 40 + seed % 5) for _ in range(3)]
    image = Image.merge(
        "RGB", [Image.blend(gradient, n, 0.35) for n in noise]
    )  # fmt: skip
    exif = Image.Exif()
    exif[imaging.EXIF_ORIENTATION] = 6
    exif[imaging.EXIF_DATETIME] = f"2026:12:01 10:{seed // 60 % 60:02d}:{seed % 60:02d}"
    target = megabytes * 1024 * 1024
    low, high, best = 20, 98, b""
    while low <= high:
        quality = (low + high) // 2
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
        best = out.getvalue()
        if len(best) < target * 0.95:
            low = quality + 1
        elif len(best) > target * 1.05:
            high = quality - 1
        else:
            break
    return best


class Command(BaseCommand):
    help = "Time the checking and processing of N synthetic camera JPEGs with one worker."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5)
        parser.add_argument("--megabytes", type=float, default=6.0)
        parser.add_argument("--session", type=int, default=800, help="photos to extrapolate to")

    def handle(self, *args, count, megabytes, session, **options):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            storage = FileSystemStorage(location=root / "photos")
            self.stdout.write(f"Generating {count} JPEGs of about {megabytes} MB…")
            paths = []
            for n in range(count):
                path = root / f"IMG_{n + 1:04d}.JPG"
                path.write_bytes(synthetic_jpeg(megabytes, n))
                paths.append(path)
            sizes = [p.stat().st_size / (1024 * 1024) for p in paths]
            checks, jobs, cpu, thumbs = [], [], [], []
            for n, path in enumerate(paths, start=1):
                started = time.perf_counter()
                with path.open("rb") as f:
                    hashlib.sha256(f.read()).hexdigest()
                    f.seek(0)
                    imaging.read(f)
                checks.append(time.perf_counter() - started)
                started, started_cpu = time.perf_counter(), time.process_time()
                with path.open("rb") as f:
                    made = imaging.derivatives(
                        f, watermark_text="影楼 Studio", font_path=settings.STUDIO_WATERMARK_FONT
                    )
                for kind, data in made.items():
                    storage.save(f"{kind}/{n:05d}.jpg", ContentFile(data))
                jobs.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                thumbs.append(len(made["thumbnail"]))
        per_check, per_job = statistics.mean(checks), statistics.mean(jobs)
        self.stdout.write(
            f"{count} photos of {statistics.mean(sizes):.1f} MB on average "
            f"({WIDTH}x{HEIGHT}); thumbnails {max(thumbs) / 1024:.0f} KB at most.\n"
            f"Upload check (checksum + decode): {per_check:.2f} s a photo "
            f"(max {max(checks):.2f}).\n"
            f"Processing (thumbnail, preview, watermarked): {per_job:.2f} s a photo "
            f"(max {max(jobs):.2f}), of which {statistics.mean(cpu):.2f} s on the processor: "
            "on a shared machine the wall clock includes waiting for it.\n"
            f"{session} photos with one worker: about {session * per_job / 60:.1f} min "
            f"(with a core to itself: {session * statistics.mean(cpu) / 60:.1f} min) "
            f"of processing (+ {session * per_check / 60:.1f} min of checks in the web "
            "processes during the upload)."
        )
