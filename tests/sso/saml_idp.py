"""A real SAML 2.0 identity provider for the SSO tests, run by them in its own process (pysaml2's Server).

``python tests/sso/saml_idp.py CONFIG.json`` with {"port", "key_file", "cert_file", "accounts", "sp_metadata_url"}.
It publishes its metadata at /metadata, takes AuthnRequests by redirect at /sso/redirect, shows a login form
that checks the password against the accounts file ({login: {"password", "attributes": {name: [values]}}}),
read again at every sign-in, and answers with a signed assertion posted back to the service provider's
assertion consumer service (HTTP-POST binding). The service provider's metadata is fetched at the first
sign-in (the provider row exists by then). Keys are made by the tests; nothing secret is stored.
"""
import html
import json
import secrets
import shutil
import sys
import urllib.request
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

config = json.load(open(sys.argv[1]))
BASE = f"http://127.0.0.1:{config['port']}"
PENDING: dict[str, tuple[str, str]] = {}
_server: list[Server] = []
METADATA: list[str] = []


def idp_config(sp_metadata=None) -> IdPConfig:
    conf = {
        "entityid": f"{BASE}/metadata",
        "xmlsec_binary": shutil.which("xmlsec1"),
        "key_file": config["key_file"], "cert_file": config["cert_file"],
        "allow_unknown_attributes": True,
        "service": {"idp": {
            "name": "Test IdP",
            "endpoints": {"single_sign_on_service": [(f"{BASE}/sso/redirect", BINDING_HTTP_REDIRECT)]},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "policy": {"default": {"lifetime": {"minutes": 15}, "attribute_restrictions": None,
                                   "name_form": NAME_FORMAT_URI}},
        }},
    }
    if sp_metadata:
        conf["metadata"] = {"inline": [sp_metadata]}
    idp = IdPConfig()
    idp.load(conf)
    return idp


def server() -> Server:
    if not _server:
        with urllib.request.urlopen(config["sp_metadata_url"], timeout=10) as answer:  # noqa: S310 — loopback
            _server.append(Server(config=idp_config(answer.read().decode())))
    return _server[0]


def page(start_response, status, body, content_type="text/html; charset=utf-8"):
    start_response(status, [("Content-Type", content_type)])
    return [body.encode()]


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if path == "/metadata":
        if not METADATA:
            METADATA.append(create_metadata_string(None, config=idp_config()).decode())
        return page(start_response, "200 OK", METADATA[0], "application/samlmetadata+xml")
    if path == "/sso/redirect":
        query = parse_qs(environ["QUERY_STRING"])
        key = secrets.token_urlsafe(16)
        PENDING[key] = (query["SAMLRequest"][0], query.get("RelayState", [""])[0])
        return page(start_response, "200 OK", f'<form method="post" action="/login"><input type="hidden" '
                    f'name="key" value="{key}"><input name="login"><input type="password" name="password">'
                    '<button type="submit">Sign in</button></form>')
    if path == "/login" and method == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        saml_request, relay_state = PENDING.pop(form.get("key", ""), (None, None))
        account = json.load(open(config["accounts"])).get(form.get("login", ""))
        if saml_request is None or account is None or account["password"] != form.get("password"):
            return page(start_response, "401 Unauthorized", "<p>Wrong login or password</p>")
        idp = server()
        request = idp.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        args = idp.response_args(request.message, [BINDING_HTTP_POST])
        response = idp.create_authn_response(
            identity=account["attributes"], userid=form["login"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=account.get("name_id", form["login"])),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
            sign_assertion=True, **args)
        http = idp.apply_binding(BINDING_HTTP_POST, str(response), args["destination"], relay_state,
                                 response=True)
        return page(start_response, "200 OK", http["data"])
    return page(start_response, "404 Not Found", html.escape(path))


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    # Sikker By reads this provider's metadata while the provider waits for Sikker By's: two at a time.
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", config["port"], app, server_class=ThreadingWSGIServer,
                        handler_class=QuietHandler)
    print("listening", config["port"], flush=True)
    httpd.serve_forever()
