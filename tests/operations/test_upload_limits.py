"""Issue #15 item 13: uploads are bounded before they are read: bytes per kind, workbook size unpacked,
declared rows, cell length; the refusal names the limit and nothing is stored or applied."""
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from crimestats.models import PoliceImport
from indicators import services as indicator_services
from indicators.models import ValueUpload
from tests.crimestats.factories import csv_file
from tryghedsindeks.models import SafetyIndexImport
from tryghedsindeks.services import InputFileError, safety_inputs_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_an_oversize_police_csv_is_refused_with_the_limit_before_anything_is_stored(client, coordinator, settings,
                                                                                   tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "police_csv": 1024}
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en"})
    big = csv_file([[f"R{i}", "report", "2025-01-05", "VOLD-SIMPEL", "Simpel vold", "Strøget", "", ""]
                    for i in range(60)])
    assert big.size > 1024
    response = client.post(reverse("crimestats:import_list"), {"kind": "events", "file": big})
    assert response.status_code == 400
    assert "the limit for this upload is 1.0\xa0KB" in response.content.decode()
    assert not PoliceImport.objects.exists()
    assert not list(tmp_path.rglob("*.csv"))  # nothing stored, in the file storage either


def _bomb_workbook(*, rows: int, declare: str | None = None) -> bytes:
    """A real workbook whose first sheet is replaced by ``rows`` identical rows (compressing ~1000:1)."""
    wb = openpyxl.Workbook()
    wb.active.append(["indicator", "area_level", "area_code", "period", "value", "source", "note"])
    buf = io.BytesIO()
    wb.save(buf)
    row = b'<row><c t="inlineStr"><is><t>5</t></is></c><c t="inlineStr"><is><t>city</t></is></c></row>'
    dimension = f'<dimension ref="{declare}"/>'.encode() if declare else b""
    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + dimension
             + b"<sheetData>" + row * rows + b"</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, data)
    return out.getvalue()


@pytest.fixture
def parses(monkeypatch):
    """Records every workbook openpyxl is asked to parse (the real loader still runs)."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", spy)
    return calls


def test_a_zip_bomb_workbook_is_refused_before_it_is_parsed(reporter, copenhagen, parses, settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
    bomb = _bomb_workbook(rows=300_000)  # ~28 MB of sheet XML
    assert len(bomb) < 400 * 1024
    with pytest.raises(indicator_services.UploadInvalid) as exc:
        indicator_services.value_upload_create(user=reporter, programme=copenhagen, data=bomb, filename="b.xlsx")
    assert "The workbook unpacks to" in exc.value.errors[0][1] and "the limit is 20.0\xa0MB" in exc.value.errors[0][1]
    assert parses == []  # openpyxl never opened it, so no row was read
    assert not ValueUpload.objects.exists()


def test_a_workbook_declaring_a_huge_sheet_is_refused_before_it_is_parsed(reporter, copenhagen, parses):
    small = _bomb_workbook(rows=3, declare="A1:G1048576")
    with pytest.raises(indicator_services.UploadInvalid) as exc:
        indicator_services.value_upload_create(user=reporter, programme=copenhagen, data=small, filename="d.xlsx")
    assert exc.value.errors == [(None, "The workbook declares 1048576 rows; the limit is 20000 rows.")]
    assert parses == []


def test_a_workbook_without_a_declared_size_stops_reading_at_the_row_cap(reporter, copenhagen, monkeypatch):
    monkeypatch.setattr(indicator_services, "MAX_UPLOAD_ROWS", 100)
    with pytest.raises(indicator_services.UploadInvalid) as exc:
        indicator_services.value_upload_create(user=reporter, programme=copenhagen,
                                               data=_bomb_workbook(rows=5000), filename="r.xlsx")
    assert exc.value.errors == [(None, "The file has more than 100 rows.")]


def test_the_safety_index_upload_refuses_a_zip_bomb_before_pandas_parses_it(copenhagen, parses, settings):
    settings.XLSX_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
    with pytest.raises(InputFileError) as exc:
        safety_inputs_import(municipality=copenhagen.municipality, content=_bomb_workbook(rows=300_000),
                             filename="tryg.xlsx")
    assert "The workbook unpacks to" in exc.value.errors[0]
    assert parses == [] and not SafetyIndexImport.objects.exists()


def test_the_safety_index_form_refuses_an_oversize_file_naming_the_limit(client, coordinator, settings):
    settings.UPLOAD_MAX_BYTES = {**settings.UPLOAD_MAX_BYTES, "safety_inputs": 100}
    from tryghedsindeks.forms import InputImportForm

    form = InputImportForm(files={"file": SimpleUploadedFile("t.csv", b"x" * 101)})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is 101\xa0bytes; the limit for this upload is 100\xa0bytes."]


def test_an_overlong_cell_is_a_named_bad_row_not_a_crash(reporter, copenhagen):
    text = ("indicator;area_level;area_code;period;value;source;note\n"
            f"5;city;KBH;2011;7,5;{'x' * 200_000};\n")
    with pytest.raises(indicator_services.UploadInvalid) as exc:
        indicator_services.value_upload_create(user=reporter, programme=copenhagen, data=text.encode(),
                                               filename="long.csv")
    assert exc.value.errors[0][0] is None or exc.value.errors[0][0] == 2
    assert not ValueUpload.objects.exists()
