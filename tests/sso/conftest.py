"""A real OpenID Connect provider for the SSO tests, in its own process.

``tests/sso/idp/server.js`` (the certified ``oidc-provider`` package on Node.js) serves two issuers, one
for Copenhagen and one for Albertslund, each with its own accounts file the tests rewrite between sign-ins
(as an administrator changes a user's groups in the real provider). Its node_modules are installed by
``scripts/ensure_sso_test_idp.sh`` (``make test`` runs it) or here, from the committed lockfile.
"""
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

IDP_DIR = Path(__file__).parent / "idp"
CLIENT_SECRET_LENGTH = 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class IdpIssuer:
    """One issuer of the test provider: its address, its client and its accounts."""

    def __init__(self, name, port, accounts_file, client_secret):
        self.name = name
        self.issuer = f"http://127.0.0.1:{port}"
        self.accounts_file = accounts_file
        self.client_id = f"sikkerby-{name}"
        self.client_secret = client_secret
        self.set_accounts({})

    def set_accounts(self, accounts: dict):
        """{login: {"password": ..., "claims": {...}}}: read again by the provider at every sign-in."""
        tmp = self.accounts_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(accounts))
        tmp.replace(self.accounts_file)


@pytest.fixture(scope="session")
def oidc_providers(live_server, tmp_path_factory):
    """{"kk": IdpIssuer, "alb": ...}: a running provider process with two issuers."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the SSO tests (Debian's nodejs; scripts/ensure_sso_test_idp.sh)")
    if not (IDP_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=IDP_DIR, check=True)
    tmp = tmp_path_factory.mktemp("idp")
    callback = f"{live_server.url}/sso/oidc/callback/"
    providers, issuers = {}, []
    for name in ("kk", "alb"):
        port = _free_port()
        provider = IdpIssuer(name, port, tmp / f"{name}-accounts.json",
                                        os.urandom(CLIENT_SECRET_LENGTH).hex())
        providers[name] = provider
        issuers.append({"port": port, "accounts": str(provider.accounts_file), "clients": [{
            "client_id": provider.client_id, "client_secret": provider.client_secret,
            "redirect_uris": [callback]}]})
    config = tmp / "config.json"
    config.write_text(json.dumps({"issuers": issuers}))
    log = (tmp / "idp.log").open("w")
    process = subprocess.Popen([node, "server.js", str(config)], cwd=IDP_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        for provider in providers.values():
            for _ in range(100):
                try:
                    if requests.get(provider.issuer + "/.well-known/openid-configuration", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    pass
                if process.poll() is not None:
                    pytest.fail(f"the test identity provider stopped: {(tmp / 'idp.log').read_text()}")
                time.sleep(0.1)
            else:
                pytest.fail("the test identity provider did not start")
        yield providers
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _self_signed(tmp: Path, name: str) -> tuple[Path, Path]:
    """A key pair and self-signed certificate made now (the SAML test provider's signing key)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    key_file, cert_file = tmp / f"{name}.key", tmp / f"{name}.crt"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


SAML_SLUG = "kk-saml"


@pytest.fixture(scope="session")
def saml_idp(live_server, tmp_path_factory):
    """A pysaml2 identity provider in its own process, for the provider row ``kk-saml``.

    Yields an object with ``metadata_url``, ``entity_id`` and ``set_accounts``.
    """
    import sys

    if shutil.which("xmlsec1") is None:
        pytest.fail("xmlsec1 is needed for the SAML tests (Debian's xmlsec1; scripts/ensure_sso_test_idp.sh)")
    tmp = tmp_path_factory.mktemp("saml-idp")
    key_file, cert_file = _self_signed(tmp, "idp")
    port = _free_port()
    idp = IdpIssuer.__new__(IdpIssuer)
    idp.accounts_file = tmp / "accounts.json"
    idp.set_accounts({})
    idp.metadata_url = f"http://127.0.0.1:{port}/metadata"
    idp.entity_id = idp.metadata_url
    config = tmp / "config.json"
    config.write_text(json.dumps({"port": port, "key_file": str(key_file), "cert_file": str(cert_file),
                                  "accounts": str(idp.accounts_file),
                                  "sp_metadata_url": f"{live_server.url}/sso/saml/{SAML_SLUG}/metadata/"}))
    log = (tmp / "idp.log").open("w")
    process = subprocess.Popen([sys.executable, str(Path(__file__).parent / "saml_idp.py"), str(config)],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                if requests.get(idp.metadata_url, timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None:
                pytest.fail(f"the SAML test provider stopped: {(tmp / 'idp.log').read_text()}")
            time.sleep(0.1)
        yield idp
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
