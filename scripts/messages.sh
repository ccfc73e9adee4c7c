#!/usr/bin/env bash
# Extract and compile translations. The core (studio/ and templates/) keeps its catalogue in
# locale/; each stage app keeps its own in <app>/locale/, so apps never edit one shared file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-$PWD/.venv/bin/python}"
APPS=(orders shoots selection pickup rentals followups overview couple demo_studio)
ignores=(--ignore=.venv --ignore=staticfiles --ignore=tests)
for app in "${APPS[@]}"; do ignores+=("--ignore=$app"); done
mkdir -p locale
"$PY" manage.py makemessages -l zh_Hans --no-obsolete "${ignores[@]}"
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && "$PY" ../manage.py makemessages -l zh_Hans --no-obsolete)
done
"$PY" manage.py compilemessages --ignore=.venv
