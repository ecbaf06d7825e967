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



class _Item:
    def __init__(self, *fixtures, transaction=False):
        self.fixturenames = fixtures
        self._marker = pytest.mark.django_db(transaction=True).mark if transaction else None

    def get_closest_marker(self, name):
        return self._marker if name == "django_db" else None


def test_the_reference_data_is_loaded_again_after_a_flush_before_a_test_that_does_not_flush():
    """``tests/conftest.py`` reloads the programme and its areas, committed, after a flushing test when the next
    test does not flush: otherwise every later database test on that worker would load them inside its own
    transaction (about 3 s a test). Between two flushing tests it does not (each flush would empty it again)."""
    from tests.conftest import reference_data_restore_needed

    plain, live = _Item("db"), _Item("live_server", "page")
    transactional, marked = _Item("transactional_db"), _Item(transaction=True)
    assert reference_data_restore_needed(live, plain)
    assert reference_data_restore_needed(transactional, plain) and reference_data_restore_needed(marked, plain)
    assert not reference_data_restore_needed(live, transactional)  # the next one flushes as well
    assert not reference_data_restore_needed(plain, plain)  # nothing was flushed
    assert not reference_data_restore_needed(live, None)  # the last test: the database is dropped next
