"""Paging of every list of the REST API (``DEFAULT_PAGINATION_CLASS``).

Its own small module: DRF imports the pagination class while it is still importing its generic views,
so this module must not import anything that imports them (such as drf-spectacular's schema classes).
"""
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Pages of ``limit`` rows (the page size: 100 unless asked, at most 10,000) from ``offset`` (0 first).

    Nonsense is refused with a 400 naming the parameter and the reason, never silently replaced by the
    default (and never passed on to the database, where a huge number is a 500): ``limit`` must be a whole
    number from 1 to ``max_limit``, ``offset`` a whole number from 0 to ``max_offset`` (past the last row the
    page is empty). ``page``/``page_size`` (another paging
    style) are refused with a pointer to ``limit``/``offset`` rather than ignored.
    """

    default_limit = 100
    max_limit = 10000
    max_offset = 2**31 - 1  # far beyond any table here; the database's own limit (bigint) would be a 500
    foreign_params = ("page", "page_size")

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

    def get_limit(self, request):
        limit = self._whole_number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0, self.max_offset) or 0

    def paginate_queryset(self, queryset, request, view=None):
        self.check_params(request)
        return super().paginate_queryset(queryset, request, view)

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
        return parameters
