"""Single sign-on through each municipality's own identity provider (OpenID Connect and SAML 2.0).

``mapping`` turns claims or attributes into a role and an administration, ``services`` decides the
user at every sign-in, ``oidc`` and ``saml`` speak the protocols, ``views`` are the addresses. docs/sso.md.
"""
