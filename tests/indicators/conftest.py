"""Fixtures of the indicators tests."""
import pytest


@pytest.fixture(autouse=True)
def measures_of_this_test_only(monkeypatch):
    """The indicators app's tests register the measures they need themselves.

    The other apps register the real measures (exit programme, Tryghedsindeks, …)
    at start-up; these tests are about how any measure is shown, so each starts
    from an empty registry instead of depending on what the other apps' data says.
    """
    from indicators import measures

    monkeypatch.setattr(measures, "_REGISTRY", {})
