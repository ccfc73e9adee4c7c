"""The production settings, as the benchmark's server runs them: studio.settings unchanged,
but for the URLconf, which adds the trivial baseline page (bench.urls). Only the bench's
gunicorn uses this module (DJANGO_SETTINGS_MODULE=bench.settings); production never does."""

from studio.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
