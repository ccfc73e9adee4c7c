"""The 简体中文 translation is complete: every string extracted, every one translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SKIP = {
    ".venv",
    ".git",
    "node_modules",
    "staticfiles",
    "media",
    "var",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "test-artifacts",
}


def catalogues(base=BASE):
    return sorted(
        p
        for p in base.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
        if not set(p.relative_to(base).parts) & SKIP
    )


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(BASE)))
def test_every_string_is_translated(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"Untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"Fuzzy in {po_path}: {fuzzy}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    stale = [
        e.msgid for e in po if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert not stale, f"{po_path.with_suffix('.mo')} is stale; run make messages: {stale[:5]}"


def test_no_string_is_missing_from_the_catalogues(tmp_path):
    """Extract again in a copy of the tree: nothing new may appear."""
    if shutil.which("msgfmt") is None:
        pytest.fail("gettext is missing: scripts/ensure-services.sh installs it.")
    copy = tmp_path / "tree"
    shutil.copytree(BASE, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
    subprocess.run(
        ["bash", "scripts/messages.sh"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PY": sys.executable, "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    for fresh in catalogues(copy):
        original = BASE / fresh.relative_to(copy)
        assert original.exists(), f"New catalogue {fresh.relative_to(copy)}: run make messages"
        have = {e.msgid for e in polib.pofile(str(original))}
        new = {e.msgid for e in polib.pofile(str(fresh))} - have
        assert not new, f"Not extracted into {original.relative_to(BASE)}: {sorted(new)[:10]}"


def _translation(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def test_the_same_words_read_the_same_in_every_catalogue():
    """Django merges the catalogues into one: a (context, msgid) translated twice gets only
    the translation of the first catalogue (LOCALE_PATHS, then INSTALLED_APPS order), on
    every page. Same meaning: the same words everywhere; another meaning: a context."""
    seen = {}
    for po_path in catalogues():
        for entry in polib.pofile(str(po_path)):
            translation = _translation(entry)
            if entry.obsolete or "fuzzy" in entry.flags or not any(translation):
                continue
            key = (entry.msgctxt, entry.msgid)
            where = str(po_path.relative_to(BASE).parts[0])
            seen.setdefault(key, {}).setdefault(translation, []).append(where)
    conflicts = [
        f"{ctx!r} {msgid!r}: "
        + "; ".join(f"{t!r} in {', '.join(apps)}" for t, apps in translations.items())
        for (ctx, msgid), translations in seen.items()
        if len(translations) > 1
    ]
    if conflicts:
        pytest.fail(
            f"{len(conflicts)} msgids translated differently in different catalogues "
            "(give the less general one a context, or make them read the same):\n"
            + "\n".join(conflicts),
            pytrace=False,
        )
