"""Test data for the key figures: crime types, events and charges placed in real roder, CSV extracts."""
import csv
import io
from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import shape

from areas.models import Area, AreaLevel
from crimestats import models as m
from crimestats.services.police_import import CHARGE_COLUMNS, EVENT_COLUMNS


class CrimeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CrimeType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    label = factory.LazyAttribute(lambda o: f"Type {o.code}")
    straf11_code = "OTHER"


def rode(name_or_code: str | None = None, *, deprived: bool | None = None) -> Area:
    """A Copenhagen rode: by code, or the first one in (or out of) a deprived area."""
    qs = Area.objects.filter(level=AreaLevel.RODE, municipality__code="0101").order_by("id")
    if name_or_code:
        return qs.get(code=name_or_code)
    if deprived is not None:
        qs = qs.filter(containers__level=AreaLevel.DEPRIVED_AREA) if deprived else qs.exclude(
            containers__level=AreaLevel.DEPRIVED_AREA)
    return qs.first()


def containers(area: Area) -> dict:
    got = {a.level: a for a in area.containers.all()}
    return {"rode": area, "bydel": got[AreaLevel.BYDEL], "deprived_area": got.get(AreaLevel.DEPRIVED_AREA)}


def point_in(area: Area) -> tuple[float, float]:
    p = shape(area.geometry).representative_point()
    return round(p.x, 6), round(p.y, 6)


_seq = iter(range(10**9))


def event(municipality, *, on: date, crime_type, area: Area | None = None, kind="report", location="Gade",
          grid=(700, 6150)) -> m.PoliceEvent:
    where = containers(area) if area else {}
    return m.PoliceEvent.objects.create(
        municipality=municipality, record_id=f"E{next(_seq)}", kind=kind, date=on, crime_type=crime_type,
        location=location, grid_x=grid[0], grid_y=grid[1], **where)


def charge(municipality, *, on: date, crime_type, age: int, area: Area | None = None) -> m.PoliceCharge:
    where = containers(area) if area else {}
    return m.PoliceCharge.objects.create(municipality=municipality, record_id=f"C{next(_seq)}", date=on,
                                         crime_type=crime_type, age=age, **where)


def csv_file(rows: list[list], *, kind: str = "events", name: str = "extract.csv", header=None) -> SimpleUploadedFile:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header or (EVENT_COLUMNS if kind == "events" else CHARGE_COLUMNS))
    for r in rows:
        w.writerow(r)
    return SimpleUploadedFile(name, buf.getvalue().encode("utf-8"), content_type="text/csv")
