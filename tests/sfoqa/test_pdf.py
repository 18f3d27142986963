import copy
import datetime as dt
import http.server
import re
import shutil
import subprocess
import threading
import zlib
from pathlib import Path

import pytest

from sfoqa import pdf
from sfoqa.pdf import Stamp, render, render_template, static_relative_path
from sfoqa.uploads import inspect_upload
from tests.sfoqa.files import upload

TEMPLATES = Path(__file__).parent / "templates"

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "{% debug %}",
    "left \u202eright\u202c end",
    "nul\x00byte",
]

STAMP = Stamp(
    title='Review "QA" </style><b>',
    version="3",
    data_as_at=dt.datetime(2026, 1, 5, 10, 30, tzinfo=dt.UTC),
    generated_by="Ann Example",
)


class Listener(http.server.ThreadingHTTPServer):
    """Counts every connection made to it, HTTP or not."""

    daemon_threads = True

    def __init__(self):
        self.connections = 0
        self.paths = []
        super().__init__(("127.0.0.1", 0), ListenerHandler)

    def verify_request(self, request, client_address):
        self.connections += 1
        return True


class ListenerHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        body = b"root:x:0:0:root:/root:/bin/sh\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    server = Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates


def hostile_html(port: int) -> str:
    where = f"http://127.0.0.1:{port}"
    return f"""<!DOCTYPE html><html lang="en"><head><title>Hostile</title>
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="{where}/attachment">
<link rel="stylesheet" href="{where}/sheet.css">
<style>
@import url({where}/y);
@font-face {{ font-family: Remote; src: url({where}/font.woff); }}
body {{ background: url({where}/x); font-family: Remote, sans-serif; }}
</style></head><body>
<p>Plain text stays.</p>
<img src="{where}/image" alt="remote">
<img src="https://127.0.0.1:{port}/tls" alt="tls">
<img src="ftp://127.0.0.1:{port}/ftp" alt="ftp">
<img src="file:///etc/passwd" alt="file">
<img src="/static/../../../../../../etc/passwd" alt="climb">
<img src="file:///static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="encoded climb">
<a rel="attachment" href="file:///etc/passwd">attached</a>
<object data="{where}/object"></object>
<embed src="{where}/embed">
<iframe src="{where}/iframe"></iframe>
<svg width="10" height="10"><image href="{where}/svg-image" width="10" height="10"/>
</svg>
<div style="background-image: url('{where}/inline')">inline style</div>
<img src="/static/assets/images/govuk-icon-180.png" alt="Our own crest">
</body></html>"""


def expanded(document: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated after it."""
    parts = [document]
    for match in re.finditer(rb"stream\r?\n", document):
        try:
            parts.append(zlib.decompressobj().decompress(document[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdftotext(document: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(document)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def image_count(document: bytes, tmp_path) -> int:
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    path = tmp_path / "images.pdf"
    path.write_bytes(document)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return len(listing.strip().splitlines()) - 2


def assert_nothing_embedded(document: bytes):
    content = expanded(document)
    assert b"/EmbeddedFile" not in content
    assert b"root:" not in content
    # Our own upload checks, which look inside object streams, agree.
    assert inspect_upload(upload(document, "out.pdf")).kind == "pdf"


def test_the_listener_would_see_a_default_weasyprint_fetch(listener):
    """The check below can fail: unprotected WeasyPrint does reach it."""
    import weasyprint

    html = f'<img src="http://127.0.0.1:{listener.server_address[1]}/control">'
    weasyprint.HTML(string=html).write_pdf()
    assert listener.paths == ["/control"]


def test_raw_html_reaches_nothing_but_our_static_files(listener, tmp_path):
    document = render(hostile_html(listener.server_address[1]), stamp=STAMP)
    assert listener.connections == 0
    assert listener.paths == []
    assert_nothing_embedded(document)
    assert image_count(document, tmp_path) == 1  # our own crest
    text = pdftotext(document, tmp_path)
    assert "Plain text stays." in text
    assert "root:" not in text


def test_a_base_element_cannot_send_references_elsewhere(listener):
    port = listener.server_address[1]
    html = (
        f'<html><head><base href="http://127.0.0.1:{port}/"></head><body>'
        '<img src="relative.png" alt="r"><img src="/static/x.png" alt="s">'
        '<link rel="attachment" href="passwd"></body></html>'
    )
    document = render(html)
    assert listener.connections == 0
    assert_nothing_embedded(document)


def test_hostile_user_text_is_printed_as_literal_text(
    listener, test_templates, tmp_path
):
    port = listener.server_address[1]
    values = [
        *HOSTILE_TEXT,
        f'<img src="http://127.0.0.1:{port}/">',
        '<link rel=attachment href="file:///etc/passwd">',
        f"<style>@import url(http://127.0.0.1:{port}/y);</style>",
        f"<div style=\"background:url('http://127.0.0.1:{port}/x')\">",
    ]
    document = render_template("pdf_test/hostile.html", {"values": values}, stamp=STAMP)
    assert listener.connections == 0
    assert_nothing_embedded(document)
    assert image_count(document, tmp_path) == 1
    text = pdftotext(document, tmp_path)
    flat = re.sub(r"\s+", "", text)
    for value in values:
        if "\u202e" in value or "\x00" in value:
            continue
        assert re.sub(r"\s+", "", value) in flat, value
    # {{7*7}} was not evaluated (the listener's port number may contain 49).
    assert not re.search(r"(?<![\d:])49(?!\d)", text)
    assert "nul" in text
    assert "byte" in text


def test_every_page_carries_the_stamp(test_templates, tmp_path):
    document = render_template(
        "pdf_test/hostile.html", {"values": ["one"]}, stamp=STAMP
    )
    text = pdftotext(document, tmp_path)
    assert (
        'Review "QA" </style><b> · version 3 · data as at 10:30am on 5 January 2026 · '
        "generated by Ann Example · page 1 of 1"
    ) in text


def test_pages_are_numbered_without_a_stamp(tmp_path):
    html = (
        "{% extends 'pdf/base.html' %}{% block content %}"
        "<h1>One</h1><h1 style='break-before: page'>Two</h1>{% endblock %}"
    )
    from django.template import engines

    document = render(engines["django"].from_string(html).render({}))
    text = pdftotext(document, tmp_path)
    assert "page 1 of 2" in text
    assert "page 2 of 2" in text


def test_the_pdf_is_tagged_for_assistive_technology():
    document = render(
        "<html lang='en'><head><title>T</title></head><body><h1>Heading</h1>"
        "<table><tr><th>A</th><td>B</td></tr></table></body></html>"
    )
    content = expanded(document)
    assert b"/StructTreeRoot" in content
    assert b"/MarkInfo" in content
    assert b"/Lang" in content


def test_the_stamp_shows_uk_time():
    stamp = Stamp(
        title="T",
        version="1",
        data_as_at=dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC),
        generated_by="Someone",
    )
    assert stamp.text() == (
        "T · version 1 · data as at 11:30am on 1 July 2026 · generated by Someone"
    )


def test_stamp_text_cannot_escape_its_css_string():
    css = pdf.css_string('a"; } @import url(http://x/); \\ \n')
    assert css.startswith('"') and css.endswith('"')
    inner = css[1:-1]
    assert '"' not in inner
    assert ";" not in inner.replace("\\3b ", "")
    assert "\n" not in inner
    assert "(" not in inner


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "file:///static/assets/images/govuk-icon-180.png",
            "assets/images/govuk-icon-180.png",
        ),
        ("file:///static/sfoqa/app.css", "sfoqa/app.css"),
        ("file:///etc/passwd", None),
        ("file:///static/../etc/passwd.css", None),
        ("file:///static/%2e%2e/etc/x.css", None),
        ("file:///static/a//b.png", None),
        ("file:///static/a\\..\\b.png", None),
        ("file://evil.example/static/x.png", None),
        ("http://127.0.0.1/static/x.png", None),
        ("https://127.0.0.1/static/x.png", None),
        ("file:///static/x.png?y", None),
        ("file:///static/settings.py", None),
        ("ftp://x/static/x.png", None),
    ],
)
def test_only_static_file_urls_are_resolved(url, expected):
    assert static_relative_path(url) == expected


def test_a_cdn_static_url_is_matched_by_host(settings):
    settings.STATIC_URL = "https://static.example.org/static/"
    assert static_relative_path("https://static.example.org/static/a/b.png") == (
        "a/b.png"
    )
    assert static_relative_path("https://evil.example.org/static/a/b.png") is None
    assert static_relative_path("file:///static/a/b.png") is None
