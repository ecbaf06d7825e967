"""The key-figure management commands: they do the job, and bad arguments end in one clear line, not a traceback."""
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from crimestats.models import KeyFigureReport, PoliceEvent, ReportStatus

from .factories import CrimeTypeFactory, event, point_in, rode

pytestmark = pytest.mark.django_db


def _run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **kwargs)
    return out.getvalue()


def test_make_key_figure_report_produces_a_quarter_and_a_year_to_date(municipality, straf11,
                                                                     django_capture_on_commit_callbacks):
    vold = CrimeTypeFactory(code="VOLD-SIMPEL", label="Simpel vold", straf11_code="12")
    event(municipality, on=date(2025, 5, 2), crime_type=vold, area=rode("1"))
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("make_key_figure_report", quarter="2025k2")
    report = KeyFigureReport.objects.get()
    assert (report.period_start, report.period_end, report.trigger) == (date(2025, 4, 1), date(2025, 6, 30), "command")
    assert "2025 K2 version 1" in out
    with django_capture_on_commit_callbacks(execute=True):
        _run("make_key_figure_report", to="2025-05-31")
    ytd = KeyFigureReport.objects.get(period_start=date(2025, 1, 1))
    assert ytd.period_end == date(2025, 5, 31) and ytd.status == ReportStatus.DONE
    assert ytd.data["tables"]["reports_by_type"]["rows"][0]["current"] == 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"quarter": "2025K5"}, "--quarter must look like 2025K2"),
    ({"quarter": "Q2-2025"}, "--quarter must look like 2025K2"),
    ({"to": "31-05-2025"}, "--to must be a date like 2025-05-31"),
    ({"quarter": "2025K2", "municipality": "9999"}, "no municipality with code '9999'"),
    ({"quarter": f"{date.today().year + 1}K1"}, "K1: "),
])
def test_make_key_figure_report_refuses_bad_arguments_clearly(municipality, kwargs, message):
    with pytest.raises(CommandError, match=message):
        _run("make_key_figure_report", **kwargs)
    assert not KeyFigureReport.objects.exists()


def _write(path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_import_police_extract_imports_a_file_and_names_every_bad_row_of_another(municipality, tmp_path):
    lon, lat = point_in(rode("1"))
    header = "record_id,kind,date,crime_code,crime_label,location,lon,lat"
    good = _write(tmp_path / "good.csv", [header, f"R1,report,2025-03-01,VOLD-SIMPEL,Simpel vold,Strøget,{lon},{lat}"])
    assert "1 rows, 1 added, 0 already present" in _run("import_police_extract", good, kind="events")
    assert "1 rows, 0 added, 1 already present" in _run("import_police_extract", good, kind="events")

    bad = _write(tmp_path / "bad.csv", [header, f"R2,report,2025-03-01,VOLD-SIMPEL,Simpel vold,Strøget,{lon},{lat}",
                                        f"R3,report,2025-13-01,VOLD-SIMPEL,Simpel vold,Strøget,{lon},{lat}",
                                        f"R4,nonsense,2025-03-01,VOLD-SIMPEL,Simpel vold,Strøget,{lon},{lat}"])
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported \\(2 bad rows listed\\)"):
        call_command("import_police_extract", bad, kind="events", stdout=io.StringIO(), stderr=err)
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == ["line 3", "line 4"]
    assert list(PoliceEvent.objects.values_list("record_id", flat=True)) == ["R1"]


def test_import_police_extract_refuses_a_missing_file_and_a_wrong_header(municipality, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run("import_police_extract", str(tmp_path / "absent.csv"), kind="events")
    wrong = _write(tmp_path / "wrong.csv", ["id,date,type", "1,2025-01-01,x"])
    with pytest.raises(CommandError, match="wrong.csv: nothing imported: "):
        _run("import_police_extract", wrong, kind="charges")


def test_generate_police_extract_needs_straf11_first(municipality, tmp_path):
    with pytest.raises(CommandError, match="run load_straf11 first"):
        _run("generate_police_extract", str(tmp_path), years="2025")
    with pytest.raises(CommandError, match="--years must be"):
        _run("generate_police_extract", str(tmp_path), years="last year")


def test_generate_police_extract_needs_the_municipalitys_roder(tmp_path):
    from initiatives.models import Municipality

    Municipality.objects.create(code="0165", name="Albertslund Kommune")  # no area boundaries loaded
    with translation.override("en"), pytest.raises(CommandError, match="Albertslund Kommune has no roder loaded"):
        _run("generate_police_extract", str(tmp_path), years="2025", municipality="0165")
    assert not (tmp_path / "events.csv").exists()
