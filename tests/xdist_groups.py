"""pytest plugin: the ``@group`` suffix pytest-xdist's ``--dist loadgroup`` schedules by, where pytest 9 reads it.

pytest-xdist 3.8 marks a test of ``@pytest.mark.xdist_group("name")`` by appending ``@name`` to
``item._nodeid``. pytest 9 no longer reads that attribute (a node's id is ``item._id``), so under pytest 9 every
"group" was spread over both workers, and each worker built the topology tests' PostgreSQL cluster and loaded
the demo for itself. This plugin puts the suffix where the running pytest reads it, if it is not there yet.
Registered by ``tests/conftest.py``; ``tests/test_suite_setup.py`` runs a small suite under two workers and
checks that a group's tests share one.
"""
import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if getattr(config.option, "loadgroup", False):  # set on the workers of ``--dist loadgroup``
        name_the_groups(items)


def name_the_groups(items) -> None:
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if not names:
            continue
        suffix = "@" + "_".join(names)
        if item.nodeid.endswith(suffix):
            continue
        if hasattr(item, "_id"):
            item._id = coerce_node_id(item.nodeid + suffix)
        else:  # pytest 8 reads the attribute pytest-xdist sets
            item._nodeid = item.nodeid + suffix
