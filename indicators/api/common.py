"""What every endpoint of the REST API shares: who may call it, pagination, CSV output."""
import csv
import io

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer

from sikkerby.spreadsheets import csv_cell


class CanUseApi(permissions.BasePermission):
    """Coordinators, administration reporters and API clients read; writes are decided per endpoint."""

    message = _("Your role does not give access to the API.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("indicators.use_api"))


class ReadOnly(CanUseApi):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS and super().has_permission(request, view)


class Pagination(LimitOffsetPagination):
    """Up to 100 rows a page by default; ``limit`` up to 10,000 so one call can fetch a whole series."""

    default_limit = 100
    max_limit = 10000


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
    """Rows as CSV (a paginated answer's ``results``; nested objects as ``a.b`` columns); UTF-8."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        rows = [_flatten(r) if isinstance(r, dict) else {"value": r} for r in (data or [])]
        header: list[str] = []
        for r in rows:
            header.extend(k for k in r if k not in header)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
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


class ApiViewMixin:
    """Defaults for every viewset of the API: JSON or CSV (``?format=csv`` or ``Accept: text/csv``)."""

    pagination_class = Pagination
    permission_classes = [ReadOnly]
    renderer_classes = [JSONRenderer, CSVRenderer]
    schema = ApiAutoSchema()
