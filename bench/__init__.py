"""The chain-scale benchmark (issue 11): `python -m bench`, run by `make bench`.

Not a Django app: nothing in the project imports it, and it imports the project's models and
services only. docs/performance.md says what it does and what it found.
"""

from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
OUT = BASE / "var" / "bench"
# The bench processes run as production does, DEBUG off; this key is theirs alone.
SECRET = "bench-only-" + "k" * 40 + "-not-a-production-secret-7#x9!pQ2"
