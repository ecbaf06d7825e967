"""SSP single-case data for tests, made through the services (so the tests see what the application writes)."""
from datetime import date

from sspcases import services

_n = iter(range(100, 999))


def make_series(*, actor, start: date, **kw):
    return services.series_create(actor=actor, name=kw.pop("name", "SSP og politi"), start_date=start, **kw)


def make_concern(*, actor, series, registered_on: date, cpr: str = "", age: int | None = 15, **kw):
    defaults = dict(source="police", first_name="Fiktiv", last_name=f"Testung {next(_n)}",
                    description="Set med en kniv ved skolen.")
    defaults.update(kw)
    return services.concern_create(actor=actor, series=series, registered_on=registered_on, cpr=cpr,
                                   age=None if cpr else age, **defaults)
