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
