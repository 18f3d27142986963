"""
The virus-scanning hook: ClamAV's clamd, spoken to directly (its INSTREAM
command) over a Unix socket or TCP. Callers keep an upload quarantined until
`scan_bytes()` says "clean"; with no scanner configured it says
"not_configured" and the caller records the file as not scanned.
"""

from __future__ import annotations

import logging
import socket
import struct

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CLEAN = "clean"
INFECTED = "infected"
NOT_CONFIGURED = "not_configured"
ERROR = "error"

CHUNK = 64 * 1024
MAX_REPLY = 4096


def _where() -> tuple[str, object] | None:
    path = getattr(settings, "CLAMD_SOCKET", "")
    if path:
        return ("unix", path)
    host = getattr(settings, "CLAMD_HOST", "")
    if host:
        return ("tcp", (host, int(getattr(settings, "CLAMD_PORT", 3310))))
    return None


def _connect(where, timeout: float) -> socket.socket:
    family, address = where
    if family == "unix":
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        try:
            conn.connect(address)
        except OSError:
            conn.close()
            raise
        return conn
    return socket.create_connection(address, timeout=timeout)


def _reply(conn: socket.socket) -> bytes:
    reply = b""
    while len(reply) < MAX_REPLY:
        part = conn.recv(1024)
        if not part:
            break
        reply += part
        if b"\0" in part or b"\n" in part:
            break
    return reply.split(b"\0", 1)[0].strip()


def _timeout() -> float:
    return float(getattr(settings, "CLAMD_TIMEOUT", 30))


def scan_bytes(data: bytes) -> str:
    """ "clean", "infected", "not_configured" or "error" (scanner down,
    timed out, refused the stream or answered something unexpected)."""
    where = _where()
    if where is None:
        return NOT_CONFIGURED
    try:
        with _connect(where, _timeout()) as conn:
            conn.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for start in range(0, len(view), CHUNK):
                chunk = view[start : start + CHUNK]
                conn.sendall(struct.pack("!L", len(chunk)))
                conn.sendall(chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = _reply(conn)
    except OSError:
        logger.warning("Virus scanner did not answer", exc_info=True)
        return ERROR
    if reply.endswith(b"FOUND"):
        logger.warning("Virus scanner found: %s", reply.decode("ascii", "replace"))
        return INFECTED
    if reply.endswith(b"OK") and b"ERROR" not in reply:
        return CLEAN
    logger.warning("Virus scanner error: %s", reply.decode("ascii", "replace")[:200])
    return ERROR


def _ping(where) -> bool:
    try:
        with _connect(where, min(_timeout(), 2.0)) as conn:
            conn.sendall(b"zPING\0")
            return _reply(conn) == b"PONG"
    except OSError:
        return False


def antivirus_status() -> dict:
    """For the administrators' health summary."""
    where = _where()
    if where is None:
        return {
            "configured": False,
            "answering": None,
            "description": _(
                "No virus scanner is configured: uploaded files are stored "
                "without a scan"
            ),
        }
    family, address = where
    place = address if family == "unix" else f"{address[0]}:{address[1]}"
    answering = _ping(where)
    if answering:
        description = _("ClamAV at %(place)s, answering") % {"place": place}
    else:
        description = _(
            "ClamAV at %(place)s is not answering: uploaded files stay in "
            "quarantine until it does"
        ) % {"place": place}
    return {"configured": True, "answering": answering, "description": description}
