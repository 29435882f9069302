"""A small OpenID Connect provider for the tests, served by ``http.server`` in a thread: the
discovery document, an authorization endpoint that sends the browser straight back with a code,
a token endpoint (client secret, single-use codes, PKCE S256) answering an RS256-signed id_token,
the JWKS and userinfo. What it does wrong on purpose is set on the instance (``id_token_claims``,
``forge``, ``token_delay``, ``token_status``; a claim set to None is left out)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "dateline-readers"
CLIENT_SECRET = "a-client-secret"
KID = "test-key-1"


@functools.cache
def _key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OIDCProvider:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.provider = self  # type: ignore[attr-defined]
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.user: dict[str, Any] = {
            "sub": "248289761001",
            "email": "ada.idp@example.org",
            "email_verified": True,
            "name": "Ada Provider-Name",
        }
        self.id_token_claims: dict[str, Any] = {}  # merged into the next id_tokens
        self.forge = False  # sign with a key that is not in the JWKS
        self.token_delay = 0.0
        self.token_status = 200
        self.seen: list[str] = []  # the paths asked for, in order
        self.codes: dict[str, dict[str, Any]] = {}
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> OIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self, **overrides: str) -> dict[str, str]:
        """The provider as the operator's environment gives it (settings' parsed form)."""
        conf = dict.fromkeys(
            (
                "issuer",
                "client_id",
                "client_secret",
                "display_name",
                "scopes",
                "sign_algo",
                "authorization_endpoint",
                "token_endpoint",
                "userinfo_endpoint",
                "jwks_endpoint",
            ),
            "",
        )
        conf.update(
            issuer=self.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            display_name="Test ID",
        )
        conf.update(overrides)
        return conf

    def id_token(self, *, nonce: str, user: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": user["sub"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": user.get("email"),
            "email_verified": user.get("email_verified"),
            **self.id_token_claims,
        }
        claims = {name: value for name, value in claims.items() if value is not None}
        key = _key("forger" if self.forge else "provider")
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(_key("provider").public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def provider(self) -> OIDCProvider:
        return self.server.provider  # type: ignore[no-any-return]

    def _json(self, data: Any, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        provider = self.provider
        provider.seen.append(url.path)
        if url.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": provider.issuer,
                    "authorization_endpoint": provider.issuer + "/authorize",
                    "token_endpoint": provider.issuer + "/token",
                    "userinfo_endpoint": provider.issuer + "/userinfo",
                    "jwks_uri": provider.issuer + "/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                }
            )
        elif url.path == "/authorize":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                self._json({"error": "unauthorized_client"}, 400)
                return
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "nonce": query.get("nonce", ""),
                "challenge": query.get("code_challenge", ""),
                "redirect_uri": query["redirect_uri"],
                "user": dict(provider.user),
            }
            back = urlencode({"code": code, "state": query.get("state", "")})
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{back}")
            self.end_headers()
        elif url.path == "/jwks":
            self._json(provider.jwks())
        elif url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            user = next((c["user"] for c in provider.codes.values() if c.get("at") == token), None)
            if user is None:
                self._json({"error": "invalid_token"}, 401)
                return
            self._json({k: v for k, v in user.items() if v is not None})
        else:
            self._json({"error": "not_found"}, 404)

    def do_POST(self) -> None:
        provider = self.provider
        provider.seen.append(self.path)
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path != "/token":
            self._json({"error": "not_found"}, 404)
            return
        time.sleep(provider.token_delay)
        if provider.token_status != 200:
            self._json({"error": "temporarily_unavailable"}, provider.token_status)
            return
        grant = provider.codes.get(form.get("code", ""))
        if (
            form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("grant_type") != "authorization_code"
            or grant is None
            or grant.get("at")  # a code works once
            or grant["redirect_uri"] != form.get("redirect_uri")
            or _challenge(form.get("code_verifier", "")) != grant["challenge"]
        ):
            self._json({"error": "invalid_grant"}, 400)
            return
        grant["at"] = secrets.token_urlsafe(16)
        self._json(
            {
                "access_token": grant["at"],
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(nonce=grant["nonce"], user=grant["user"]),
            }
        )


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
