"""A faster ``to_representation`` for serializers of long API lists (same answer, less machinery).

DRF's ``Serializer.to_representation`` asks every field for its attribute through ``Field.get_attribute``
(a walk of ``source_attrs`` with a callable check and exception handling per step) and builds a
``PKOnlyObject`` for each primary-key relation; on a page of 50 rows × 23 fields that was the largest part
of the time the page took. ``FastRepresentation`` plans the fields once per serializer instance (the list
serializer's child is one instance for every row): a primary-key relation reads the foreign key's column
(``indicator_id``), a plain field an ``attrgetter`` of its source, and each value goes through the field's
own ``to_representation`` exactly as DRF would (dates, decimals and choices format the same). A field whose
class overrides ``get_attribute`` keeps it.
"""
from operator import attrgetter

from rest_framework import fields as drf_fields
from rest_framework import relations


class FastRepresentation:
    def _fast_plan(self):
        plan = getattr(self, "_fast_plan_cache", None)
        if plan is None:
            plan = []
            for field in self._readable_fields:
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
