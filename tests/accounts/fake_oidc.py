"""
A small OpenID provider on loopback: a discovery document, a JWKS with an
RSA key made for the test, and a token endpoint that issues the id_token
the test asks for.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "sfoqa-test-client"
CLIENT_SECRET = "test-client-secret"
KEY_ID = "test-key-1"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    def __init__(self):
        self.key = new_key()
        # What the next token request gets: claims, and the key that signs them.
        self.claims: dict = {}
        self.signing_key = self.key
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def good_claims(self, *, nonce: str, email: str) -> dict:
        now = int(time.time())
        return {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "subject-1",
            "email": email,
            "nonce": nonce,
            "iat": now,
            "exp": now + 300,
        }

    def _document(self, path: str):
        if path == "/.well-known/openid-configuration":
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        if path == "/jwks":
            jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}
        return None

    def _token(self, form: dict) -> dict:
        self.token_requests.append(form)
        id_token = jwt.encode(
            self.claims, self.signing_key, algorithm="RS256", headers={"kid": KEY_ID}
        )
        return {"id_token": id_token, "access_token": "access", "token_type": "Bearer"}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, document):
                payload = json.dumps(document).encode()
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self._answer(provider._document(self.path))

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                form = {name: values[0] for name, values in form.items()}
                self._answer(provider._token(form) if self.path == "/token" else None)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
