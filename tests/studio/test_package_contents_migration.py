"""Packages migrate to contents as data (studio 0027): the free text of what a package
included is kept, as the package's note, and its history with it; photos and pages stay
the package's counts; no line is guessed from the text. Migrating back gives the text back.
Transactional (the migrations run DDL); it leaves the database migrated."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("studio", "0026_customer_facing_names_and_genders")]
TEXT = "相册 Album · 24寸放大 ×1 · 水晶 Crystal\n赠送相框"


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return state.apps


@pytest.fixture
def back_at_the_end():
    yield
    _migrate()


def test_the_free_text_is_kept_as_the_note(back_at_the_end):
    apps = _migrate(BEFORE)
    Package = apps.get_model("studio", "Package")
    old = Package.objects.create(
        name="Signature", code="sig", price=9999, floor_price=8000,
        retouched_photos=40, album_pages=30, products=TEXT,
    )  # fmt: skip
    apps.get_model("studio", "HistoricalPackage").objects.create(
        id=old.pk, name="Signature", code="sig", price=9999, floor_price=8000,
        retouched_photos=40, album_pages=30, products=TEXT, history_date="2026-01-01T00:00Z",
        history_type="~", outfits=3, indoor_scenes=1, outdoor_scenes=0,
        wedding_day_makeup=False, wedding_day_dress=False, is_signature=True, is_active=True,
    )  # fmt: skip
    apps = _migrate()
    new = apps.get_model("studio", "Package").objects.get(pk=old.pk)
    assert (new.contents_note, new.retouched_photos, new.album_pages) == (TEXT, 40, 30)
    assert not apps.get_model("studio", "PackageLine").objects.exists()
    history = apps.get_model("studio", "HistoricalPackage").objects.get(id=old.pk)
    assert history.contents_note == TEXT
    apps = _migrate(BEFORE)
    assert apps.get_model("studio", "Package").objects.get(pk=old.pk).products == TEXT
