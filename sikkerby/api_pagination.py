"""Paging of every list of the REST API (``DEFAULT_PAGINATION_CLASS``).

Its own small module: DRF imports the pagination class while it is still importing its generic views,
so this module must not import anything that imports them (such as drf-spectacular's schema classes).
"""
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


class Pagination(LimitOffsetPagination):
    """Pages of ``limit`` rows (the page size: 100 unless asked, at most 10,000) from ``offset`` (0 first).

    Nonsense is refused with a 400 naming the parameter and the reason, never silently replaced by the
    default (and never passed on to the database, where a huge number is a 500): ``limit`` must be a whole
    number from 1 to ``max_limit``, ``offset`` a whole number from 0 to ``max_offset`` (past the last row the
    page is empty). ``page``/``page_size`` (another paging
    style) are refused with a pointer to ``limit``/``offset`` rather than ignored.

    A page costs the same however big the table is: the rows are read with one query of ``limit + 1`` rows
    (the extra row says whether there is a ``next`` page), and the whole result is not counted on every page
    (``COUNT(*)`` over a large table costs as much as reading it). ``count`` is the number of rows of the
    whole result when it is known for free — on the last page it is ``offset`` + the rows on it — or when
    the caller asks for it with ``count=true`` (one ``COUNT(*)`` more); otherwise it is ``null``. The views
    order their default lists by an index, so the first pages never sort the whole table either.
    """

    default_limit = 100
    max_limit = 10000
    max_offset = 2**31 - 1  # far beyond any table here; the database's own limit (bigint) would be a 500
    foreign_params = ("page", "page_size")
    count_query_param = "count"

    def _wants_count(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param)
        if raw is None:
            return False
        raw = raw.strip().lower()
        if raw not in ("true", "false", "1", "0"):
            raise ValidationError({self.count_query_param: [_("Must be true or false.")]})
        return raw in ("true", "1")

    def _whole_number(self, request, name: str, minimum: int, maximum: int | None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        raw = raw.strip()
        if not raw.isascii() or not raw.lstrip("-").isdigit():
            raise ValidationError({name: [_("Must be a whole number.")]})
        number = int(raw)
        if number < minimum:
            raise ValidationError({name: [_("Must be at least %(minimum)s.") % {"minimum": minimum}]})
        if maximum is not None and number > maximum:
            raise ValidationError({name: [_("Must be at most %(maximum)s.") % {"maximum": maximum}]})
        return number

    def check_params(self, request) -> None:
        """Raise a 400 for any bad paging parameter (also used where the rows are streamed, not paged)."""
        for name in self.foreign_params:
            if name in request.query_params:
                raise ValidationError({name: [_("Unknown parameter: this API pages with limit (the page size, "
                                                "at most %(maximum)s) and offset.") % {"maximum": self.max_limit}]})
        self.get_limit(request)
        self.get_offset(request)
        self._wants_count(request)

    def get_limit(self, request):
        limit = self._whole_number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0, self.max_offset) or 0

    def paginate_queryset(self, queryset, request, view=None):
        self.check_params(request)
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows = list(queryset[self.offset:self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[:self.limit]
        if not self.has_next and (rows or self.offset == 0):
            self.count = self.offset + len(rows)  # the last page: the count is known without counting
        elif self._wants_count(request):
            self.count = len(queryset) if isinstance(queryset, (list, tuple)) else queryset.count()
        else:
            self.count = None
        return rows

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_previous_link(self):
        if self.offset <= 0:
            return None
        return super().get_previous_link()

    def get_paginated_response(self, data):
        return Response({"count": self.count, "next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] = {
            "type": "integer", "nullable": True, "example": 123,
            "description": "Rows in the whole result: given on the last page and when count=true is asked, "
                           "otherwise null (counting a large table on every page would cost as much as "
                           "reading it)."}
        response["required"] = ["next", "previous", "results"]
        return response

    def get_html_context(self):
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link(), "page_links": []}

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit, default=self.default_limit)
                parameter["description"] = (f"Page size: rows per page, 1 to {self.max_limit} "
                                            f"(default {self.default_limit}).")
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=self.max_offset, default=0)
                parameter["description"] = "The row to start the page from (0 is the first)."
        parameters.append({"name": self.count_query_param, "required": False, "in": "query",
                           "description": "true: also count the rows of the whole result (one COUNT more; "
                                          "otherwise count is given on the last page only).",
                           "schema": {"type": "boolean", "default": False}})
        return parameters
