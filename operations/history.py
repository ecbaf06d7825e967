"""An object's audit history as people read it: one row per change with field, before, after, who and when.

The entries are django-auditlog's (every registered model's create, change and
delete, with the values before and after). ``history_rows`` turns them into
rows for the ``operations/history.html`` partial: choice labels instead of
codes, related rows by name, many-to-many changes as the objects added or
removed, and an en dash for "empty". Services may also record an event that
is not a field change (an unlock after a lockout) as a pseudo-field named in
``EVENT_FIELDS``.
"""
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

# Pseudo-fields that services record (LogEntry.objects.log_create with changes={name: [before, after]}).
EVENT_FIELDS = {"lockout": _("login lockout")}
EVENT_VALUES = {"locked": _("locked out"), "unlocked": _("unlocked")}
LIMIT = 200  # entries shown; older ones stay in the log


def _shown(value) -> str:
    value = "" if value is None else str(value)
    if value in ("None", ""):
        return "–"
    return str(EVENT_VALUES.get(value, value))


def history_rows(entries, *, object_labels: dict | None = None) -> list[dict]:
    """Rows ``{"entry", "object", "changes": [(field, before, after)]}``, newest first (two queries).

    ``object_labels`` names the objects of many-to-many changes for people (a role group by its role's label).
    """
    object_labels = object_labels or {}
    rows = []
    for entry in entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[:LIMIT]:
        model = entry.content_type.model_class()
        raw = entry.changes_dict or {}
        display = dict(entry.changes_display_dict) if model is not None else dict(raw)
        changes = []
        for name, values in raw.items():
            if isinstance(values, dict):  # many-to-many: the objects added or removed
                try:
                    label = model._meta.get_field(name).verbose_name
                except (AttributeError, FieldDoesNotExist):
                    label = name
                display.pop(label, None)
                objects = ", ".join(str(object_labels.get(o, o)) for o in values.get("objects", []))
                if values.get("operation") == "add":
                    changes.append((label, "–", _("added: %(objects)s") % {"objects": objects}))
                else:
                    changes.append((label, _("removed: %(objects)s") % {"objects": objects}, "–"))
        for label, values in display.items():
            if isinstance(values, dict) or label in [c[0] for c in changes]:
                continue
            before, after = (list(values) + ["", ""])[:2]
            changes.append((EVENT_FIELDS.get(label, label), _shown(before), _shown(after)))
        rows.append({"entry": entry, "object": entry.object_repr, "changes": changes})
    return rows
