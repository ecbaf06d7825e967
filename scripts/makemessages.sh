#!/bin/sh
# One catalogue per app (its own locale/), plus the project's for templates/.
set -e
PY=${PY:-.venv/bin/python}
ROOT=$(pwd)
for app in accounts areas initiatives indicators exitprogram tryghedsindeks crimestats evaluations operations; do
  (cd "$app" && "$ROOT/$PY" "$ROOT/manage.py" makemessages -l da -l en --no-obsolete >/dev/null)
done
"$PY" manage.py makemessages -l da -l en --no-obsolete --ignore='.venv/*' \
  --ignore='accounts/*' --ignore='areas/*' --ignore='initiatives/*' --ignore='indicators/*' \
  --ignore='exitprogram/*' --ignore='tryghedsindeks/*' --ignore='crimestats/*' --ignore='evaluations/*' --ignore='operations/*' \
  --ignore='tests/*' --ignore='benchmarks/*' >/dev/null
"$PY" manage.py compilemessages --ignore='.venv/*' >/dev/null
echo "catalogues updated; translate the empty msgstr in */locale/da/LC_MESSAGES/django.po, then run again"
