"""From what an identity provider says about a user to a role and an administration.

Two formats of the role claim or attribute (``IdentityProvider.role_attribute_format``):

* ``values`` — a list of strings (OpenID Connect ``groups`` or ``roles``, Entra ID group object ids, an
  AD FS group attribute); a single string counts as a list of one.
* ``oio_bpp`` — the OIO Basic Privilege Profile KOMBIT's context handler sends
  (``dk:gov:saml:attribute:Privileges_intermediate``): base64 of a ``PrivilegeList`` XML document whose
  ``PrivilegeGroup`` elements each carry a ``Scope`` (``urn:dk:gov:saml:cvrNumberIdentifier:<CVR>``) and
  ``Privilege`` URIs. Only privileges scoped to the provider's CVR number count.
"""
import base64
import binascii
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .. import roles as r

CVR_SCOPE_PREFIX = "urn:dk:gov:saml:cvrNumberIdentifier:"
# An OIO-BPP document larger than this is refused before it is parsed.
OIO_BPP_MAX_BYTES = 256 * 1024


@dataclass
class MappedAccess:
    """The roles (in ``roles.ROLES`` order) and the administration code one sign-in gives a user."""

    roles: list[str] = field(default_factory=list)
    administration_code: str | None = None


def role_mapping_errors(mapping, *, municipality) -> list[str]:
    """What is wrong with a provider's role mapping (empty when it is usable)."""
    if not isinstance(mapping, list):
        return [_("The role mapping must be a list of rules.")]
    codes = set(municipality.administrations.values_list("code", flat=True))
    errors = []
    for number, rule in enumerate(mapping, start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("value"), str) or not rule["value"]:
            errors.append(_("Rule %(n)s: give the value (a group or privilege) as text.") % {"n": number})
            continue
        if rule.get("role") not in r.ROLES:
            errors.append(_("Rule %(n)s: the role must be one of %(roles)s.")
                          % {"n": number, "roles": ", ".join(r.ROLES)})
        administration = rule.get("administration")
        if administration and administration not in codes:
            errors.append(_("Rule %(n)s: %(municipality)s has no administration with the code %(code)s.")
                          % {"n": number, "municipality": municipality, "code": administration})
    return errors


def oio_bpp_privileges(value: str, *, cvr: str) -> list[str]:
    """The privilege URIs of an OIO-BPP privilege list (base64 XML) that are scoped to ``cvr``.

    Raises ``ValueError`` when the value is not base64 of a well-formed privilege list. The document comes
    from the identity provider inside a signed assertion; it is still parsed without entity expansion
    (ElementTree does not fetch external entities) and with a size limit.
    """
    try:
        raw = base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc
    if len(raw) > OIO_BPP_MAX_BYTES or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise ValueError("refused document")
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise ValueError("not XML") from exc
    if _local(root.tag) != "PrivilegeList":
        raise ValueError("not a PrivilegeList")
    privileges = []
    for group in root:
        if _local(group.tag) != "PrivilegeGroup" or group.get("Scope") != CVR_SCOPE_PREFIX + cvr:
            continue
        privileges += [(p.text or "").strip() for p in group if _local(p.tag) == "Privilege"]
    return privileges


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def attribute_values(claims: dict, name: str, *, fmt: str, cvr: str = "") -> list[str]:
    """The values of the role claim or attribute, whatever its format."""
    raw = claims.get(name)
    if raw is None:
        return []
    values = raw if isinstance(raw, list | tuple) else [raw]
    values = [v for v in values if isinstance(v, str)]
    if fmt == "oio_bpp":
        privileges = []
        for value in values:
            privileges += oio_bpp_privileges(value, cvr=cvr)
        return privileges
    return values


def access_from_values(values: list[str], mapping: list[dict]) -> MappedAccess:
    """Apply a provider's role mapping to the values the provider sent."""
    present = set(values)
    roles, administration = set(), None
    for rule in mapping:
        if rule.get("value") in present:
            roles.add(rule["role"])
            if administration is None and rule.get("administration"):
                administration = rule["administration"]
    return MappedAccess(roles=[role for role in r.ROLES if role in roles], administration_code=administration)
