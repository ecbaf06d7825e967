"""The optimistic lock every form that edits a shared record uses: no lost updates.

A locked model has an integer ``version`` column (the name may differ). A form
carries the version it was opened on in a hidden field; the service moves the
row to the next version with one conditional UPDATE (``version_bump``) inside
its transaction, and when somebody else saved in between, the UPDATE matches
no row and ``StaleWrite`` is raised instead of overwriting their work.

The view then answers 409 with the user's input kept and, beside it, what the
other person saved (``conflict_rows``; the template is
``operations/conflict.html``), and a fresh version so that saving again is a
deliberate overwrite. The exit programme, the self-evaluations (draft and
autosave) and the indicator-value drafts share this one mechanism.
"""
from django.db.models import F
from django.utils.translation import gettext_lazy

# What a form that lost the race says, unless its page has words of its own (the exit cases, the evaluations).
CONFLICT_MESSAGE = gettext_lazy(
    "A colleague saved this after you opened it. Their values are shown beside yours; nothing of yours is "
    "saved yet. Save again to replace their values with yours.")


class StaleWrite(Exception):
    """Someone else saved the record after this form was opened.

    ``current`` is the record as it is now (when the service could read it), so
    the page can show their values beside the user's.
    """

    def __init__(self, current=None):
        super().__init__("stale write")
        self.current = current


def expected(value) -> int:
    """The version a form was opened on; anything that is not a number is a conflict, never a crash."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise StaleWrite from exc


def version_bump(model, obj, expected_version, *, field: str = "version") -> None:
    """Move ``obj`` to the next version only if nobody else has (raises ``StaleWrite``).

    Call it inside the service's transaction, before saving: the conditional
    UPDATE takes the row lock, so a second writer waits and then finds the
    version moved.
    """
    version = expected(expected_version)
    if not model.objects.filter(pk=obj.pk, **{field: version}).update(**{field: F(field) + 1}):
        raise StaleWrite(current=model.objects.filter(pk=obj.pk).first())
    setattr(obj, field, version + 1)


def _display(field, value) -> str:
    """A value as the user reads it: the choice label, not the stored code; empty as an en dash."""
    if value is None or value == "" or value == []:
        return "–"
    choices = getattr(field, "choices", None)
    if choices and not hasattr(field, "queryset"):
        labels = {str(k): str(v) for k, v in choices if not isinstance(v, (list, tuple))}
        return labels.get(str(value), str(value))
    if hasattr(field, "queryset") and not hasattr(value, "pk"):
        obj = field.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return str(obj) if obj is not None else str(value)
    return str(value)


def conflict_rows(form, current, *, skip=("version",)) -> list[dict]:
    """Per field where the user's input differs from the saved record: the label, theirs and yours.

    ``form`` is the bound form of the user who lost the race; ``current`` the
    record as the colleague left it. Values are compared as the form would
    show them, so "1250" and "1250.000" are the same answer. A form field is
    compared with the record's attribute of the same name, or the one the
    form's ``conflict_attributes`` names (a meeting's "new date" is its
    ``held_on``).
    """
    rows = []
    attributes = getattr(form, "conflict_attributes", {})
    for name, field in form.fields.items():
        attribute = attributes.get(name, name)
        if name in skip or not hasattr(current, attribute) and not hasattr(current, f"{attribute}_id"):
            continue
        saved = getattr(current, attribute, None)
        if hasattr(saved, "all") and hasattr(field, "queryset"):  # many-to-many: compare the chosen rows
            theirs_pks = {str(o.pk) for o in saved.all()}
            yours_pks = {str(v) for v in (form[name].value() or [])}
            if theirs_pks != yours_pks:
                rows.append({"name": name, "label": field.label,
                             "theirs": ", ".join(str(o) for o in saved.all()) or "–",
                             "yours": ", ".join(str(o) for o in field.queryset.filter(
                                 pk__in=[p for p in yours_pks if p.isdigit()])) or "–"})
            continue
        if hasattr(saved, "pk"):
            saved = saved.pk
        theirs = field.prepare_value(saved) if saved is not None else ""
        yours = form[name].value()
        if yours is None:
            yours = ""
        if str(theirs).strip() == str(yours).strip():
            continue
        if saved is not None and name in getattr(form, "cleaned_data", {}):
            try:
                if field.clean(yours) == getattr(current, attribute):
                    continue
            except Exception:  # noqa: BLE001 - the user's input may not parse; it is still shown
                pass
        rows.append({"name": name, "label": field.label, "theirs": _display(field, saved if saved is not None else ""),
                     "yours": _display(field, yours)})
    return rows


def form_take_conflict(form, exc: StaleWrite, message, *, field: str = "version") -> list[dict]:
    """Put the conflict on a bound form: the message, their values beside yours, and the current version.

    The user's input stays in the form. Its hidden version becomes the one the
    colleague saved, so pressing save again is a deliberate overwrite of what
    the user has now seen. Returns the rows for ``operations/conflict.html``.
    """
    current = exc.current
    rows = conflict_rows(form, current, skip=(field,)) if current is not None else []
    if current is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix(field)] = str(getattr(current, field))
        form.data = data
    form.add_error(None, message)
    return rows
