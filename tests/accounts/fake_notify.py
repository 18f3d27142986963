"""A stand-in for the GOV.UK Notify API on loopback, recording each request."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"sfoqa_test-{SERVICE_ID}-{SECRET}"


class FakeNotify:
    """Answers each POST with the next queued (status, body), then with 201."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                token = self.headers["Authorization"].removeprefix("Bearer ")
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                fake.requests.append(
                    {"path": self.path, "body": body, "issuer": claims["iss"]}
                )
                status, answer = fake.answers.pop(0) if fake.answers else (201, {})
                if status == 201:
                    answer = {"id": str(uuid.uuid4()), "reference": body["reference"]}
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
