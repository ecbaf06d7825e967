import pytest

from accounts import roles

from .factories import make_case, make_user


@pytest.fixture
def muni(copenhagen):
    return copenhagen.municipality


@pytest.fixture
def consultant(muni):
    return make_user(muni, roles.SSP_CONSULTANT, "BIF", first_name="Sara", last_name="SSP")


@pytest.fixture
def other_consultant(muni):
    return make_user(muni, roles.SSP_CONSULTANT, "BIF", first_name="Ole", last_name="Anden")


@pytest.fixture
def expert(muni):
    return make_user(muni, roles.EXIT_EXPERT, "SOF", first_name="Eva", last_name="Exit")


@pytest.fixture
def other_expert(muni):
    return make_user(muni, roles.EXIT_EXPERT, "BUF", first_name="Emil", last_name="Andenekspert")


@pytest.fixture
def mentor(muni):
    return make_user(muni, roles.MENTOR, "SOF", first_name="Mona", last_name="Mentor")


@pytest.fixture
def case(consultant):
    return make_case(consultant=consultant)


@pytest.fixture
def gang_case(consultant, expert):
    return make_case(consultant=consultant, track="gang", exit_expert=expert, born=date_1991())


def date_1991():
    from datetime import date

    return date(1991, 2, 3)
