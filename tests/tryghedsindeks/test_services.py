"""Importing inputs (whole file or nothing), computing, publishing, reproducing, rolling up."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from areas.models import Area, AreaLevel
from tryghedsindeks.models import (
    RunStatus,
    SafetyIndexImport,
    SafetyIndexInput,
    SafetyIndexMethod,
    SafetyIndexResult,
)
from tryghedsindeks.services import (
    IMPORT_COLUMNS,
    InputFileError,
    safety_index_compute,
    safety_index_publish,
    safety_index_verify,
    safety_inputs_import,
)
from tryghedsindeks.tasks import safety_index_compute_task

from .factories import SafetyIndexInputFactory, district, method_v1

HEADER = ",".join(IMPORT_COLUMNS)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (msgids); the Danish catalogue is checked by test_translations."""
    with translation.override("en"):
        yield


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def cph(copenhagen):
    return copenhagen.municipality


def test_import_csv_creates_inputs(cph, coordinator):
    batch = safety_inputs_import(municipality=cph, filename="tryg.csv", user=coordinator, content=_csv(
        "district,1,2010,200,12.00,40,95,70,1500,10000",
        "district,2,2010,25,8.5,30.25,97,80,900,12000",
    ))
    assert batch.rows == 2 and batch.imported_by == coordinator and len(batch.sha256) == 64
    i = SafetyIndexInput.objects.get(area=district("2"), year=2010)
    assert (i.respondents, i.victimised_pct, i.perceived_crime_score) == (25, Decimal("8.50"), Decimal("30.25"))
    assert i.imported == batch


def test_import_excel(cph):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(IMPORT_COLUMNS)
    ws.append(["district", "3", 2011, 150, 10, 35, 96, 75, 1200, 15000])
    buf = io.BytesIO()
    wb.save(buf)
    safety_inputs_import(municipality=cph, filename="tryg.xlsx", content=buf.getvalue())
    assert SafetyIndexInput.objects.get(area=district("3"), year=2011).police_reports == 1200


def test_import_is_all_or_nothing_and_names_every_bad_line(cph):
    content = _csv(
        "district,1,2010,200,12.00,40,95,70,1500,10000",   # line 2: fine
        "district,99,2010,200,12.00,40,95,70,1500,10000",  # line 3: no such district
        "district,2,2010,0,101,40,95,70,x,10000",          # line 4: respondents 0, pct > 100, reports not a number
        "planet,2,2010,200,12.00,40,95,70,1500,10000",     # line 5: unknown level
        "district,1,2010,200,12.00,40,95,70,1500,10000",   # line 6: same area and year as line 2
        "district,4,2010,200,12.123,40,95,70,1500,0",      # line 7: three decimals, population 0
    )
    with pytest.raises(InputFileError) as exc:
        safety_inputs_import(municipality=cph, filename="bad.csv", content=content)
    errors = exc.value.errors
    assert [e.split(":")[0] for e in errors] == ["Line 3", "Line 4", "Line 5", "Line 6", "Line 7"]
    assert "respondents" in errors[1] and "victimised_pct" in errors[1] and "police_reports" in errors[1]
    assert "line 2" in errors[3]
    assert "population" in errors[4] and "victimised_pct" in errors[4]
    assert not SafetyIndexInput.objects.exists() and not SafetyIndexImport.objects.exists()


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"area_level,area_code\ndistrict,1\n", "a.csv", "Missing columns"),
    (HEADER.encode() + b"\n", "a.csv", "no rows"),
    ("område\n".encode("latin-1"), "a.csv", "UTF-8"),
    (b"whatever", "a.pdf", "CSV"),
    (b"not an excel file", "a.xlsx", "could not be read"),
])
def test_import_rejects_unreadable_files(cph, content, filename, message):
    with pytest.raises(InputFileError) as exc:
        safety_inputs_import(municipality=cph, filename=filename, content=content)
    assert message in exc.value.errors[0]


def test_import_accepts_semicolons_and_decimal_commas(cph):
    content = (";".join(IMPORT_COLUMNS) + "\n" + "district;5;2012;120;9,5;33,25;96;72;800;9000\n").encode()
    safety_inputs_import(municipality=cph, filename="semi.csv", content=content)
    assert SafetyIndexInput.objects.get(area=district("5"), year=2012).victimised_pct == Decimal("9.50")


def test_compute_scores_each_area_and_the_city(cph, coordinator):
    SafetyIndexInputFactory(area=district("1"))  # the hand-computed example: 57.83 intensiveret
    SafetyIndexInputFactory(area=district("2"), respondents=100, victimised_pct=Decimal("6"),
                            police_reports=500, population=10000)
    run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.DISTRICT, method=method_v1(),
                               user=coordinator)
    assert run.status == RunStatus.DRAFT and run.computed_by == coordinator
    by_code = {r.area.code: r for r in run.results.select_related("area")}
    assert by_code["1"].score == Decimal("57.83") and by_code["1"].category == "intensiveret"
    city = by_code["0101"]
    assert city.area.level == AreaLevel.CITY and city.respondents == 300
    # Respondent-weighted victimisation (12*200 + 6*100)/300 = 10.00; police (1500+500)*1000/20000 = 100.00
    city_entry = next(e for e in run.inputs_snapshot if e["area_level"] == "city")
    assert city_entry["victimised_pct"] == "10.00"
    assert city.police_rate == Decimal("100.00")


def test_low_sample_result_is_kept_and_flagged(cph):
    SafetyIndexInputFactory(area=district("1"), respondents=29)
    SafetyIndexInputFactory(area=district("2"), respondents=30)
    run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.DISTRICT, method=method_v1())
    flags = {r.area.code: (r.uncertain, r.uncertainty_reasons) for r in run.results.select_related("area")}
    assert flags["1"] == (True, ["few_respondents"])
    assert flags["2"] == (False, [])


def test_published_year_recomputes_bit_for_bit(cph):
    for code in ("1", "2", "3"):
        SafetyIndexInputFactory(area=district(code), respondents=50 + int(code))
    run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.DISTRICT, method=method_v1())
    run = safety_index_publish(run=run)
    before = list(SafetyIndexResult.objects.filter(run=run).order_by("area_id").values())
    assert safety_index_verify(run=run) == []
    # Inputs changed behind the index's back do not alter the published year: the snapshot is what counts.
    SafetyIndexInput.objects.filter(area=district("1")).update(victimised_pct=Decimal("29"))
    assert safety_index_verify(run=run) == []
    assert list(SafetyIndexResult.objects.filter(run=run).order_by("area_id").values()) == before
    # A tampered stored result is detected.
    SafetyIndexResult.objects.filter(run=run, area=district("2")).update(score=Decimal("99.99"))
    problems = safety_index_verify(run=run)
    assert len(problems) == 1 and "score" in problems[0]


def test_published_year_is_not_recomputed_in_place_and_its_inputs_are_frozen(cph):
    SafetyIndexInputFactory(area=district("1"))
    method = method_v1()
    safety_index_publish(run=safety_index_compute(municipality=cph, year=2010, level="district", method=method))
    with pytest.raises(ValidationError, match="already published"):
        safety_index_compute(municipality=cph, year=2010, level="district", method=method)
    with pytest.raises(InputFileError) as exc:
        safety_inputs_import(municipality=cph, filename="fix.csv",
                             content=_csv("district,1,2010,200,11.00,40,95,70,1500,10000"))
    assert "published" in exc.value.errors[0] and exc.value.errors[0].startswith("Line 2")


def test_new_method_version_never_rewrites_a_published_year(cph):
    SafetyIndexInputFactory(area=district("1"))
    v1 = method_v1()
    published = safety_index_publish(run=safety_index_compute(municipality=cph, year=2010, level="district",
                                                              method=v1))
    before = (published.inputs_sha256, list(published.results.values_list("area_id", "score", "category")))
    params = {**v1.parameters, "weights": {**v1.parameters["weights"], "police": "0.35", "victimisation": "0.15"}}
    v2 = SafetyIndexMethod.objects.create(version="2.0", name="Tryghedsindeks", parameters=params,
                                          valid_from="2016-01-01")
    run2 = safety_index_compute(municipality=cph, year=2010, level="district", method=v2)
    published.refresh_from_db()
    assert (published.inputs_sha256, list(published.results.values_list("area_id", "score", "category"))) == before
    assert run2.inputs_sha256 != published.inputs_sha256
    # 0.15*60 + 0.20*60 + 0.10*83.33 + 0.20*50 + 0.35*50 = 56.833 -> 56.83
    assert run2.results.get(area=district("1")).score == Decimal("56.83")


def test_a_new_draft_replaces_the_old_draft(cph):
    SafetyIndexInputFactory(area=district("1"))
    first = safety_index_compute(municipality=cph, year=2010, level="district", method=method_v1())
    second = safety_index_compute(municipality=cph, year=2010, level="district", method=method_v1())
    assert not type(first).objects.filter(pk=first.pk).exists()
    assert second.inputs_sha256 == first.inputs_sha256


def test_compute_without_inputs_is_refused(cph):
    with pytest.raises(ValidationError, match="no inputs"):
        safety_index_compute(municipality=cph, year=2010, level="district", method=method_v1())


def test_roder_roll_up_to_any_level(cph):
    """Inputs given per rode (finer than districts, e.g. single estates) serve every containing level."""
    roder = list(Area.objects.filter(municipality=cph, level=AreaLevel.RODE,
                                     containers=district("7")).order_by("code")[:2])
    SafetyIndexInputFactory(area=roder[0], respondents=40, victimised_pct=Decimal("10"), police_reports=100,
                            population=2000)
    SafetyIndexInputFactory(area=roder[1], respondents=10, victimised_pct=Decimal("20"), police_reports=50,
                            population=500)
    run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.DISTRICT, method=method_v1())
    entry = next(e for e in run.inputs_snapshot if e["area_id"] == district("7").pk)
    assert entry["rolled_up"] is True and entry["respondents"] == 50
    assert entry["victimised_pct"] == "12.00"  # (10*40 + 20*10) / 50
    assert run.results.get(area=district("7")).police_rate == Decimal("60.00")  # 150*1000/2500
    rode_run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.RODE, method=method_v1())
    rode_results = rode_run.results.filter(area__level=AreaLevel.RODE)
    assert rode_results.count() == 2
    assert rode_results.get(area=roder[1]).uncertain  # 10 respondents, 500 residents
    kvarter = roder[0].containers.get(level=AreaLevel.KVARTER)
    kv_run = safety_index_compute(municipality=cph, year=2010, level=AreaLevel.KVARTER, method=method_v1())
    assert kv_run.results.filter(area=kvarter).exists()


def test_the_computation_is_a_job_whose_task_takes_its_id(cph, coordinator):
    from tryghedsindeks.models import SafetyIndexComputation
    from tryghedsindeks.services import safety_index_computation_request
    SafetyIndexInputFactory(area=district("1"))
    job = safety_index_computation_request(municipality=cph, year=2010, level="district", method=method_v1(),
                                           user=coordinator)
    assert job.status == "pending" and job.attempts == 1 and job.queued_at  # queued, sent on commit
    safety_index_compute_task(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.run.computed_by == coordinator
    assert SafetyIndexResult.objects.filter(run=job.run, area=district("1"), score=Decimal("57.83")).exists()
    safety_index_compute_task(job.pk)  # a second delivery of the message does nothing
    assert SafetyIndexComputation.objects.get(pk=job.pk).run == job.run
    with pytest.raises(ValidationError, match="no inputs"):  # refused before anything is queued
        safety_index_computation_request(municipality=cph, year=2011, level="district", method=method_v1())
    assert SafetyIndexComputation.objects.count() == 1


def test_demo_command_publishes_the_demo_timelines_labelled_years(cph):
    from django.core.management import call_command

    from tryghedsindeks.models import SafetyIndexRun
    method_v1()
    call_command("load_demo_safety_index")
    runs = SafetyIndexRun.objects.filter(municipality=cph, status=RunStatus.PUBLISHED, level="district")
    # the programme's baseline and goal-3 years, and the recent years every demo module covers (docs/demo.md)
    assert sorted(runs.values_list("year", flat=True)) == [2010, 2011, 2012, 2013, 2014, 2015, 2024, 2025]
    assert all(r.contains_demo_data and safety_index_verify(run=r) == [] for r in runs)
    assert SafetyIndexInput.objects.filter(is_demo=True, source__startswith="DEMO").count() == 35 * 8
    assert runs.get(year=2010).results.filter(category="markant").count() == 5
    call_command("load_demo_safety_index")  # idempotent
    assert SafetyIndexRun.objects.filter(municipality=cph).count() == 8


def test_writes_leave_an_audit_trail(cph):
    from auditlog.models import LogEntry
    safety_inputs_import(municipality=cph, filename="tryg.csv",
                         content=_csv("district,1,2010,200,12.00,40,95,70,1500,10000"))
    run = safety_index_publish(run=safety_index_compute(municipality=cph, year=2010, level="district",
                                                        method=method_v1()))
    assert LogEntry.objects.get_for_model(SafetyIndexInput).count() == 1
    assert LogEntry.objects.get_for_model(SafetyIndexImport).count() == 1
    run_log = LogEntry.objects.get_for_object(run)
    assert run_log.count() == 2  # created, then published
    assert all("inputs_snapshot" not in (e.changes or {}) for e in run_log)
