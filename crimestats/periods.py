"""Report periods: a quarter, or the year to a date, each against the same dates one year earlier."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """A period and the same period last year."""

    start: date
    end: date

    @property
    def previous(self) -> "Period":
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    @property
    def label(self) -> str:
        if self.start == quarter_start(self.start) and self.end == quarter_end(self.start):
            return f"{self.start.year} K{quarter_of(self.start)}"
        return _("%(start)s to %(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def complete_quarters(self) -> list[tuple[int, int]]:
        """The (year, quarter)s lying wholly inside the period (STRAF11 is quarterly)."""
        out = []
        d = quarter_start(self.start)
        if d < self.start:
            d = quarter_end(d) + timedelta(days=1)
        while quarter_end(d) <= self.end:
            out.append((d.year, quarter_of(d)))
            d = quarter_end(d) + timedelta(days=1)
        return out


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_start(d: date) -> date:
    return date(d.year, 3 * (quarter_of(d) - 1) + 1, 1)


def quarter_end(d: date) -> date:
    q = quarter_of(d)
    return (date(d.year + 1, 1, 1) if q == 4 else date(d.year, 3 * q + 1, 1)) - timedelta(days=1)


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(start, quarter_end(start))


def year_to_date(to: date) -> Period:
    return Period(date(to.year, 1, 1), to)


def last_ended_quarter(today: date) -> Period:
    """The quarter that ended most recently before ``today``."""
    return quarter_period(*(lambda d: (d.year, quarter_of(d)))(quarter_start(today) - timedelta(days=1)))
