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
