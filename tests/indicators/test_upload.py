"""Uploads: a file is validated whole; any bad row means nothing is saved, and every bad row is named."""
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, IndicatorValue, UploadStatus, ValueStatus

from .factories import IndicatorValueFactory, city

GOOD = ("indicator;area_level;area_code;period;value;source;note\n"
        "5;city;{city};2011;7,5;Børne- og Ungdomsforvaltningen, fraværsstatistik;\n"
        "5;city;{city};2012;7,1;Børne- og Ungdomsforvaltningen, fraværsstatistik;foreløbigt tal\n"
        "4;city;{city};2011-Q2;1.234,5;Klubberne;\n")


def _csv(copenhagen, text=GOOD):
    return text.format(city=city(copenhagen).code).encode()


@pytest.mark.django_db
def test_a_good_file_is_previewed_then_saved_as_drafts(reporter, copenhagen):
    up = services.value_upload_create(user=reporter, programme=copenhagen, data=_csv(copenhagen),
                                      filename="fravaer.csv")
    assert IndicatorValue.objects.count() == 0  # the preview saves nothing yet
    preview = services.value_upload_preview(upload=up)
    assert [(p.line, p.action) for p in preview] == [(2, "new"), (3, "new"), (4, "new")]
    assert services.value_upload_apply(user=reporter, upload=up) == 3
    values = dict(IndicatorValue.objects.values_list("period_start__year", "value").filter(indicator__number=5))
    assert values == {2011: Decimal("7.5"), 2012: Decimal("7.1")}
    assert IndicatorValue.objects.get(indicator__number=4).value == Decimal("1234.5")
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.DRAFT}
    up.refresh_from_db()
    assert up.status == UploadStatus.APPLIED


@pytest.mark.django_db
def test_a_file_with_bad_rows_saves_nothing_and_names_every_bad_row(reporter, copenhagen):
    text = GOOD + ("1;city;{city};2011;10;Politiet;\n"       # line 5: ØKF's indicator, not BUF's
                   "5;district;nowhere;2011;3;Kilde;\n"        # line 6: unknown area
                   "5;city;{city};2011-Q5;3;Kilde;\n"          # line 7: bad period
                   "5;city;{city};2013;abc;;\n"                # line 8: bad value, no source
                   "5;city;{city};2011;7,6;Kilde;\n")          # line 9: same key as line 2
    with pytest.raises(services.UploadInvalid) as err:
        services.value_upload_create(user=reporter, programme=copenhagen, data=_csv(copenhagen, text),
                                     filename="fejl.csv")
    lines = sorted({line for line, _ in err.value.errors})
    assert lines == [5, 6, 7, 8, 9]
    assert len([e for e in err.value.errors if e[0] == 8]) == 2  # both problems of line 8
    assert IndicatorValue.objects.count() == 0


@pytest.mark.django_db
def test_apply_is_all_or_nothing_when_something_changed_since_the_preview(reporter, copenhagen):
    up = services.value_upload_create(user=reporter, programme=copenhagen, data=_csv(copenhagen),
                                      filename="fravaer.csv")
    # the definition changes after the preview: indicator 4 is now computed
    Indicator.objects.filter(programme=copenhagen, number=4).update(formula="I5 * 2")
    with pytest.raises(services.UploadInvalid) as err:
        services.value_upload_apply(user=reporter, upload=up)
    assert [line for line, _ in err.value.errors] == [4]
    assert IndicatorValue.objects.count() == 0


@pytest.mark.django_db
def test_preview_shows_revisions_and_unchanged_values(reporter, copenhagen):
    ind5 = Indicator.objects.get(programme=copenhagen, number=5)
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen), period_start=date(2011, 1, 1), value=Decimal("7.5"))
    IndicatorValueFactory(indicator=ind5, area=city(copenhagen), period_start=date(2012, 1, 1), value=Decimal("9"))
    up = services.value_upload_create(user=reporter, programme=copenhagen, data=_csv(copenhagen), filename="x.csv")
    assert [p.action for p in services.value_upload_preview(upload=up)] == ["unchanged", "revision", "new"]
    assert services.value_upload_apply(user=reporter, upload=up) == 2
    revision = IndicatorValue.objects.get(indicator=ind5, period_start__year=2012, status=ValueStatus.DRAFT)
    assert revision.revision == 2 and revision.supersedes.value == Decimal("9")


@pytest.mark.django_db
def test_excel_upload(reporter, copenhagen):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator", "area_level", "area_code", "period", "value", "source", "note"])
    ws.append([5, "city", city(copenhagen).code, 2011, 7.5, "BUF", None])
    ws.append([5, "city", city(copenhagen).code, "2012-03", 7, "BUF", None])
    buf = io.BytesIO()
    wb.save(buf)
    up = services.value_upload_create(user=reporter, programme=copenhagen, data=buf.getvalue(), filename="v.xlsx")
    assert [r["period_type"] for r in up.rows] == ["year", "month"]


@pytest.mark.django_db
@pytest.mark.parametrize("data, filename", [(b"", "x.csv"), (b"a;b\n1;2\n", "x.csv"), (b"\xff\xfe\x00", "x.csv"),
                                            (b"not excel", "x.xlsx"), (b"x", "x.pdf")])
def test_unreadable_files_get_a_clear_error(reporter, copenhagen, data, filename):
    with pytest.raises(services.UploadInvalid) as err:
        services.value_upload_create(user=reporter, programme=copenhagen, data=data, filename=filename)
    assert err.value.errors and all(msg for _, msg in err.value.errors)


@pytest.mark.django_db
def test_upload_pages_end_to_end(client, reporter, copenhagen):
    client.force_login(reporter)
    bad = io.BytesIO(_csv(copenhagen, GOOD + "5;city;{city};2011;x;Kilde;\n"))
    bad.name = "fejl.csv"
    response = client.post(reverse("indicators:upload"), {"file": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Linje 5" in html and IndicatorValue.objects.count() == 0
    good = io.BytesIO(_csv(copenhagen))
    good.name = "godt.csv"
    response = client.post(reverse("indicators:upload"), {"file": good})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.content.decode().count("ny værdi") == 3
    assert IndicatorValue.objects.count() == 0
    response = client.post(response["Location"], {"apply": "1"})
    assert response.status_code == 302 and IndicatorValue.objects.count() == 3


@pytest.mark.django_db
def test_another_user_cannot_see_or_apply_my_upload(client, reporter, copenhagen, user_of_role):
    up = services.value_upload_create(user=reporter, programme=copenhagen, data=_csv(copenhagen), filename="x.csv")
    other = user_of_role("admin_reporter")
    client.force_login(other)
    assert client.get(reverse("indicators:upload_preview", args=[up.pk])).status_code == 404
    assert client.post(reverse("indicators:upload_preview", args=[up.pk]), {"apply": "1"}).status_code == 404
    assert IndicatorValue.objects.count() == 0
