"""A faster ``to_representation`` for serializers of long API lists (same answer, less machinery).

DRF's ``Serializer.to_representation`` asks every field for its attribute through ``Field.get_attribute``
(a walk of ``source_attrs`` with a callable check and exception handling per step) and builds a
``PKOnlyObject`` for each primary-key relation; on a page of 50 rows × 23 fields that was the largest part
of the time the page took. ``FastRepresentation`` plans the fields once per serializer instance (the list
serializer's child is one instance for every row): a primary-key relation reads the foreign key's column
(``indicator_id``), a plain field an ``attrgetter`` of its source, and each value goes through the field's
own ``to_representation`` exactly as DRF would (dates, decimals and choices format the same). A field whose
class overrides ``get_attribute`` keeps it. A ``DateTimeField`` without a time zone of its own is given the
request's current time zone once, when the plan is made: DRF would otherwise look it up (through asgiref's
context-local storage) for every value of every row, which was a tenth of a page's time.

``get_fields`` is also kept per class: a ``ModelSerializer`` otherwise introspects its model (field kwargs,
validators, choices) anew for every request; here the first build is kept as a template and later
instances get a deep copy of it (DRF's ``Field.__deepcopy__`` makes fresh, unbound fields from the same
arguments — what ``get_fields`` does for declared fields anyway). Only for serializers whose fields do not
depend on the request or context, which is true of the list serializers that use this mixin.

``ValuesRepresentation`` goes one step further for lists: it represents ``values()`` rows, so a page builds no
model instances at all (see its docstring); ``ValuesListMixin`` is the list view that reads them.
"""
import copy
from operator import attrgetter, itemgetter

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.response import Response


def _pin_timezone(field) -> None:
    """Give a ``DateTimeField`` without a time zone of its own the current one, once, when a plan is made."""
    if isinstance(field, drf_fields.DateTimeField) and not hasattr(field, "timezone") and settings.USE_TZ:
        field.timezone = timezone.get_current_timezone()


class FastRepresentation:
    def get_fields(self):
        cls = type(self)
        template = cls.__dict__.get("_fast_fields_template")
        if template is None:
            fields = super().get_fields()
            cls._fast_fields_template = copy.deepcopy(fields)
            return fields
        return copy.deepcopy(template)

    def _fast_plan(self):
        plan = getattr(self, "_fast_plan_cache", None)
        if plan is None:
            plan = []
            for field in self._readable_fields:
                _pin_timezone(field)
                attrs = field.source_attrs
                if (isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None
                        and attrs and attrs != ["*"]):
                    plan.append((field.field_name, attrgetter(".".join([*attrs[:-1], attrs[-1] + "_id"])), None))
                elif type(field).get_attribute is drf_fields.Field.get_attribute and attrs and attrs != ["*"]:
                    plan.append((field.field_name, attrgetter(".".join(attrs)), field))
                else:
                    plan.append((field.field_name, field.get_attribute, field))
            self._fast_plan_cache = plan
        return plan

    def to_representation(self, instance):
        ret = {}
        for name, get, field in self._fast_plan():
            value = get(instance)
            if callable(value) and drf_fields.is_simple_callable(value):
                value = value()
            if value is None or field is None:
                ret[name] = value
            else:
                ret[name] = field.to_representation(value)
        return ret


def _column_of(model, attrs: list[str], *, relation_id: bool) -> str | None:
    """The ``values()`` column a field's source reads (``area.code`` → ``area__code``; a primary-key relation
    ``indicator`` → ``indicator_id``), or None when the source is not a column (a property, a method)."""
    parts = []
    for i, attr in enumerate(attrs):
        try:
            field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        last = i == len(attrs) - 1
        if field.is_relation:
            if field.many_to_many or field.one_to_many or (last and not relation_id):
                return None
            if last:
                parts.append(field.attname)
            else:
                parts.append(attr)
                model = field.related_model
        elif not last or not getattr(field, "concrete", False):
            return None
        else:
            parts.append(attr)
    return "__".join(parts) if parts else None


def choice_label(model, name: str):
    """A ``values_computed`` entry for ``get_<name>_display``: the label of a choice column, as the model gives it."""
    labels = dict(model._meta.get_field(name).flatchoices)
    return (name,), lambda row: str(labels.get(row[name], row[name]))


# Field classes whose ``to_representation`` gives back a value of this type unchanged.
_IDENTITY = {drf_fields.CharField: str, drf_fields.IntegerField: int, drf_fields.BooleanField: bool,
             drf_fields.ReadOnlyField: object}


class ValuesRepresentation(FastRepresentation):
    """A list serializer that can also represent ``values()`` rows: the same answer without model instances.

    A page of 50 rows built as model instances (three per row with ``select_related``) and read back through
    them was most of the time a long list took. A serializer with this mixin names, in ``values_computed``, how
    each field whose source is not a column is computed from columns (``{"period": (("period_type",
    "period_start"), function_of_the_row)}``); every other field's source is mapped to its column once
    (``area.code`` → ``area__code``, a primary-key relation to its ``_id``) — a source that is neither is an
    error when the plan is made, not a silently missing key. Each value then goes through the field's own
    ``to_representation`` exactly as for an instance (dates, decimals, choices, time zone), except where that is
    the identity (a ``str`` through a ``CharField``, an ``int`` through an ``IntegerField``, a ``bool`` through a
    ``BooleanField``). ``ValuesListMixin`` reads lists and CSV exports this way; single objects (detail, the
    answer to a write) still go through ``to_representation`` of an instance. The tests compare both for
    every row of a list.
    """

    values_computed: dict = {}

    def _values_plan(self):
        # Kept per class and time zone (the fields do not depend on the request, as for get_fields above): a
        # list then never builds its serializer's fields at all, only reads the plan.
        cls = type(self)
        plans = cls.__dict__.get("_values_plans")
        if plans is None:
            plans = cls._values_plans = {}
        zone = timezone.get_current_timezone_name() if settings.USE_TZ else ""
        plan = plans.get(zone)
        if plan is not None:
            return plan
        model = self.Meta.model
        columns: list[str] = []
        steps = []
        for field in self._readable_fields:
            _pin_timezone(field)
            name = field.field_name
            if name in self.values_computed:
                needs, get = self.values_computed[name]
                columns.extend(needs)
            else:
                is_pk = isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None
                column = _column_of(model, field.source_attrs, relation_id=is_pk)
                if column is None:
                    raise ImproperlyConfigured(
                        f"{type(self).__name__}.{name}: its source {field.source!r} is not a column of "
                        f"{model.__name__}; say how to compute it in values_computed.")
                columns.append(column)
                get = itemgetter(column)
                if is_pk:
                    steps.append((name, get, None, object))
                    continue
            steps.append((name, get, field, _IDENTITY.get(type(field))))
        plan = plans[zone] = (list(dict.fromkeys(columns)), steps)
        return plan

    def values_columns(self) -> list[str]:
        """The columns to ask ``values()`` for."""
        return self._values_plan()[0]

    def represent_values(self, rows):
        """The representation of each ``values()`` row of ``rows`` (an iterable; a generator of dicts)."""
        steps = self._values_plan()[1]
        for row in rows:
            ret = {}
            for name, get, field, same in steps:
                value = get(row)
                if value is None or field is None or (same is not None and (same is object or type(value) is same)):
                    ret[name] = value
                else:
                    ret[name] = field.to_representation(value)
            yield ret


class ValuesListMixin:
    """For a viewset whose serializer is a ``ValuesRepresentation``: its JSON list reads ``values()`` rows of the
    filtered, ordered queryset (``ApiViewMixin._csv_lines`` does the same for CSV); everything else is DRF's."""

    def list(self, request, *args, **kwargs):
        if not issubclass(self.get_serializer_class(), ValuesRepresentation):
            return super().list(request, *args, **kwargs)
        serializer = self.get_serializer()
        queryset = self.filter_queryset(self.get_queryset()).values(*serializer.values_columns())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else queryset
        data = list(serializer.represent_values(rows))
        return self.get_paginated_response(data) if page is not None else Response(data)
