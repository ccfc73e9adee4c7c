"""deploy/gunicorn.conf.py, read as gunicorn reads it (in a fresh interpreter: freezing the
test run's own objects would outlive the test)."""

import subprocess
import sys

from django.conf import settings


def test_the_master_freezes_what_it_loaded_before_each_fork():
    code = (
        "import gc, runpy; config = runpy.run_path('deploy/gunicorn.conf.py');"
        "before = gc.get_freeze_count(); config['pre_fork'](None, None);"
        "print(before, gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = map(int, result.stdout.split())
    assert before == 0 and after >= 1000
