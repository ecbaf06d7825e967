"""What every endpoint of the REST API shares: who may call it, pagination (``sikkerby.api_pagination``), CSV
output."""
import csv
import io
from itertools import islice

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from sikkerby.api_pagination import Pagination
from sikkerby.api_serializers import ValuesListMixin, ValuesRepresentation
from sikkerby.spreadsheets import csv_cell


class CanUseApi(permissions.BasePermission):
    """Coordinators, administration reporters and API clients read; writes are decided per endpoint."""

    message = _("Your role does not give access to the API.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("indicators.use_api"))


class ReadOnly(CanUseApi):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS and super().has_permission(request, view)


CSV_CHUNK_SIZE = 2000  # rows fetched, serialized and written at a time when a list is streamed as CSV


def csv_columns(serializer, prefix: str = "") -> list[tuple[str, str]]:
    """The CSV columns of a serializer's output: ``(header, dotted path)`` per flat value.

    A nested object becomes ``a.b`` columns; a list of plain values one ``|``-joined cell. Lists of objects
    and free JSON do not fit a row and are left out (the serializer's ``Meta.csv_exclude`` names any other
    field to leave out, such as a method field returning a list of objects); the docs say where to get them.
    """
    excluded = set(getattr(getattr(serializer, "Meta", None), "csv_exclude", ()))
    columns = []
    for name, field in serializer.fields.items():
        if name in excluded or isinstance(field, serializers.JSONField):
            continue
        if isinstance(field, serializers.ListSerializer):
            if isinstance(field.child, serializers.BaseSerializer):
                continue
        elif isinstance(field, serializers.BaseSerializer):
            columns.extend(csv_columns(field, f"{prefix}{name}."))
            continue
        columns.append((f"{prefix}{name}", f"{prefix}{name}"))
    return columns


def _csv_value(row: dict, path: str):
    value = row
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):
        value = "|".join(str(v) for v in value if not isinstance(v, dict | list))
    return csv_cell(value)


class _Echo:
    """A file-like object whose ``write`` returns the line, for ``csv.writer`` in a generator."""

    def write(self, value):
        return value


def _flatten(row: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = "|".join(str(v) for v in value if not isinstance(v, dict | list))
        else:
            out[name] = value
    return out


class CSVRenderer(BaseRenderer):
    """One object (a detail answer) or an error body as CSV; UTF-8.

    Lists do not come here: ``ApiViewMixin.list`` streams every row itself. A view's own answer has the
    same columns as its list (``csv_columns``); an error body is flattened as it is.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view, response = renderer_context.get("view"), renderer_context.get("response")
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = data if isinstance(data, list) else [data]
        buf = io.StringIO()
        writer = csv.writer(buf)
        if view is not None and hasattr(view, "csv_columns") and response is not None and response.status_code < 300:
            columns = view.csv_columns()
            writer.writerow([header for header, _path in columns])
            writer.writerows([_csv_value(r, path) for _header, path in columns] for r in rows)
            return buf.getvalue().encode("utf-8")
        flat = [_flatten(r) if isinstance(r, dict) else {"value": r} for r in rows if r is not None]
        header: list[str] = []
        for r in flat:
            header.extend(k for k in r if k not in header)
        writer.writerow(header)
        writer.writerows([csv_cell(r.get(k)) for k in header] for r in flat)
        return buf.getvalue().encode("utf-8")


ERROR_BODY = {"type": "object", "description": "``detail`` with the reason, or the bad fields with their errors.",
              "properties": {"detail": {"type": "string"}}, "additionalProperties": True}
ERRORS = {
    "400": "Bad filter, ordering or payload; the body names each bad field and why.",
    "401": "No, wrong or expired token.",
    "403": "The role does not allow this.",
    "404": "Not found (or not visible to this user).",
    "429": "Too many requests; retry after the time in the Retry-After header.",
}


class ApiTokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of ``indicators.tokens.ApiTokenAuthentication``: knox's own (same header, same
    name in the schema); drf-spectacular matches extensions by exact class, not by subclass."""

    target_class = "indicators.tokens.ApiTokenAuthentication"


class ApiAutoSchema(AutoSchema):
    """The generated schema also documents the error answers every endpoint can give."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERRORS.items():
            if code == "404" and "{" not in self.path:
                continue
            responses.setdefault(code, {"description": description,
                                        "content": {"application/json": {"schema": ERROR_BODY},
                                                    "text/csv": {"schema": ERROR_BODY}}})
        return responses


class ApiViewMixin(ValuesListMixin):
    """Defaults for every viewset of the API: JSON or CSV (``?format=csv`` or ``Accept: text/csv``).

    A list as CSV is every row of the filtered, ordered result (or the one page asked for with ``limit``/
    ``offset``), streamed: the rows are read from the database, serialized and written ``CSV_CHUNK_SIZE``
    at a time, so memory stays constant however many rows there are. Lists whose serializer is a
    ``ValuesRepresentation`` are read as ``values()`` rows, as JSON and as CSV (``ValuesListMixin``).
    """

    pagination_class = Pagination
    permission_classes = [ReadOnly]
    renderer_classes = [JSONRenderer, CSVRenderer]
    schema = ApiAutoSchema()

    def csv_columns(self) -> list[tuple[str, str]]:
        return csv_columns(self.get_serializer())

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        self.paginator.check_params(request)
        params = request.query_params
        if self.paginator.limit_query_param in params or self.paginator.offset_query_param in params:
            offset = self.paginator.get_offset(request)
            queryset = queryset[offset:offset + self.paginator.get_limit(request)]
        columns = self.csv_columns()
        response = StreamingHttpResponse(self._csv_lines(queryset, columns), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
        return response

    def _csv_lines(self, queryset, columns):
        writer = csv.writer(_Echo())
        yield writer.writerow([header for header, _path in columns])
        serializer = self.get_serializer()
        if isinstance(serializer, ValuesRepresentation):  # values() rows, no model instances (as the JSON list)
            rows = queryset.values(*serializer.values_columns()).iterator(chunk_size=CSV_CHUNK_SIZE)
            for row in serializer.represent_values(rows):
                yield writer.writerow([_csv_value(row, path) for _header, path in columns])
            return
        rows = queryset.iterator(chunk_size=CSV_CHUNK_SIZE)
        while chunk := list(islice(rows, CSV_CHUNK_SIZE)):
            for row in self.get_serializer(chunk, many=True).data:
                yield writer.writerow([_csv_value(row, path) for _header, path in columns])
