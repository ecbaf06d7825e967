"""Claims and attributes to roles: groups, and KOMBIT's OIO-BPP privilege list."""
import base64

import pytest

from accounts import roles
from accounts.sso.mapping import access_from_values, attribute_values, oio_bpp_privileges, role_mapping_errors

CVR_KK = "64942212"
CVR_OTHER = "29189900"


def privilege_list(groups: dict[str, list[str]]) -> str:
    """An OIO-BPP PrivilegeList as KOMBIT's context handler sends it: base64 of the XML."""
    body = "".join(
        f'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:{cvr}">'
        + "".join(f"<Privilege>{p}</Privilege>" for p in privileges)
        + '<Constraint Name="http://sts.kombit.dk/constraints/orgenhed/1">x</Constraint></PrivilegeGroup>'
        for cvr, privileges in groups.items())
    xml = ('<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList '
           'xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile" '
           f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{body}</bpp:PrivilegeList>')
    return base64.b64encode(xml.encode()).decode()


MAPPING = [
    {"value": "http://sikkerby.dk/roles/koordinator", "role": roles.COORDINATOR, "administration": "ØKF"},
    {"value": "http://sikkerby.dk/roles/rapportoer", "role": roles.ADMIN_REPORTER, "administration": "BUF"},
    {"value": "SSP", "role": roles.SSP_CONSULTANT},
]


def test_only_privileges_scoped_to_the_municipalitys_cvr_count():
    value = privilege_list({CVR_KK: ["http://sikkerby.dk/roles/rapportoer"],
                            CVR_OTHER: ["http://sikkerby.dk/roles/koordinator"]})
    assert oio_bpp_privileges(value, cvr=CVR_KK) == ["http://sikkerby.dk/roles/rapportoer"]
    values = attribute_values({"dk:gov:saml:attribute:Privileges_intermediate": [value]},
                              "dk:gov:saml:attribute:Privileges_intermediate", fmt="oio_bpp", cvr=CVR_KK)
    access = access_from_values(values, MAPPING)
    assert access.roles == [roles.ADMIN_REPORTER] and access.administration_code == "BUF"


@pytest.mark.parametrize("value", ["not base64 at all!", base64.b64encode(b"<a>not a list</a>").decode(),
                                   base64.b64encode(b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>').decode()])
def test_an_unreadable_privilege_list_is_refused(value):
    with pytest.raises(ValueError):
        oio_bpp_privileges(value, cvr=CVR_KK)


def test_groups_give_every_matching_role_and_the_first_administration_named():
    access = access_from_values(["SSP", "http://sikkerby.dk/roles/koordinator", "other"], MAPPING)
    assert access.roles == [roles.COORDINATOR, roles.SSP_CONSULTANT]
    assert access.administration_code == "ØKF"
    assert attribute_values({"groups": "SSP"}, "groups", fmt="values") == ["SSP"]  # one value, not a list
    assert access_from_values(["other"], MAPPING).roles == []


@pytest.mark.django_db
def test_a_mapping_naming_an_unknown_role_or_another_municipalitys_administration_is_refused(copenhagen):
    kk = copenhagen.municipality
    assert role_mapping_errors(MAPPING, municipality=kk) == []
    errors = role_mapping_errors([{"value": "x", "role": "superuser"}, {"value": "y", "role": roles.COORDINATOR,
                                                                        "administration": "BUK"}, "z"],
                                 municipality=kk)
    assert len(errors) == 3
