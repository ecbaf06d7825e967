#!/bin/sh
# One catalogue per app (every top-level folder with a locale/), plus the project's for templates/ and sikkerby/.
set -e
PY=${PY:-.venv/bin/python}
ROOT=$(pwd)
APPS=$(for d in */locale; do dirname "$d"; done | grep -vx locale)
IGNORE=""
for app in $APPS; do
  (cd "$app" && "$ROOT/$PY" "$ROOT/manage.py" makemessages -l da -l en --no-obsolete >/dev/null)
  IGNORE="$IGNORE --ignore=$app/*"
done
# shellcheck disable=SC2086
"$PY" manage.py makemessages -l da -l en --no-obsolete --ignore='.venv/*' $IGNORE \
  --ignore='tests/*' --ignore='benchmarks/*' >/dev/null
"$PY" manage.py compilemessages --ignore='.venv/*' >/dev/null
echo "catalogues updated; translate the empty msgstr in */locale/da/LC_MESSAGES/django.po, then run again"
