"""The suite's own machinery: what keeps ``make test`` at its length."""
import pytest


@pytest.mark.xdist_group("suite-check")
def test_xdist_keeps_a_group_on_one_worker(request):
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker by a suffix on their node ids.

    pytest 9 ignores the suffix pytest-xdist 3.8 sets (it reads ``item._id``, xdist writes ``item._nodeid``): every
    group was then spread over both workers, and each worker built the topology tests' PostgreSQL cluster,
    static files and template database, and loaded the whole demo, for itself — about five minutes twice.
    """
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("checks pytest-xdist's --dist loadgroup, which make test uses; this run is without it")
    assert request.node.nodeid.endswith("@suite-check")


@pytest.mark.xdist_group("flush-check")
@pytest.mark.django_db(transaction=True)
def test_a_flushing_test_has_the_reference_data(copenhagen):
    """A transactional test: its database is flushed at its end (``tests/conftest.py`` loads the reference
    data again afterwards, committed, once)."""
    from initiatives.models import Programme

    assert Programme.objects.filter(slug="sikker-by-2010").exists()


@pytest.mark.xdist_group("flush-check")
@pytest.mark.django_db(transaction=True)
def test_the_reference_data_is_back_after_a_flush():
    """Runs after the test above on the same worker: the flush did not leave the next tests without the
    programme and its areas (each would otherwise load them inside its own transaction, ~3 s a test)."""
    from areas.models import Area
    from initiatives.models import Programme

    assert Programme.objects.filter(slug="sikker-by-2010").exists()
    assert Area.objects.filter(municipality__code="0101").count() > 500
