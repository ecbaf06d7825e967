"""CPR validation, hashing and masking."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from exitprogram import cpr


@pytest.mark.parametrize("value", ["1705901234", "170590-1234", " 170590-1234 "])
def test_valid_cpr_numbers_pass(value):
    cpr.validate_cpr(value)


@pytest.mark.parametrize("value,code", [("17059012", "cpr_format"), ("17059O-1234", "cpr_format"),
                                        ("310290-1234", "cpr_date"), ("171390-1234", "cpr_date"), ("", "cpr_format")])
def test_invalid_cpr_numbers_are_rejected_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        cpr.validate_cpr(value)
    assert exc.value.code == code


@pytest.mark.parametrize("value,born", [("010190-1234", date(1990, 1, 1)), ("010105-4234", date(2005, 1, 1)),
                                        ("010160-4234", date(1960, 1, 1)), ("010110-5234", date(2010, 1, 1)),
                                        ("010190-9234", date(1990, 1, 1))])
def test_century_from_the_seventh_digit(value, born):
    assert cpr.birth_date(value) == born


def test_hash_is_keyed_and_normalised(settings):
    a = cpr.cpr_hash("170590-1234")
    assert a == cpr.cpr_hash("1705901234") and len(a) == 64 and "1234" not in a
    settings.CPR_HASH_KEY = "another-key"
    assert cpr.cpr_hash("170590-1234") != a


def test_mask_hides_the_sequence_number():
    assert cpr.mask("1705901234") == "170590-XXXX"
    assert cpr.mask("") == "–"


def test_age_on_a_date():
    assert cpr.age_on("170590-1234", date(2011, 5, 16)) == 20
    assert cpr.age_on("170590-1234", date(2011, 5, 17)) == 21


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date(2036, 12, 31)), seq=st.integers(0, 999))
def test_every_real_birth_date_round_trips(born, seq):
    """For any date of birth the CPR office can encode, a number built from it validates and decodes back."""
    if born.year < 2000:
        seventh = 0
    else:
        seventh = 4
    value = f"{born:%d%m%y}-{seventh}{seq:03d}"
    cpr.validate_cpr(value)
    assert cpr.birth_date(value) == born
    assert cpr.mask(value).endswith("-XXXX") and str(seq).zfill(3) not in cpr.mask(value)[7:]
