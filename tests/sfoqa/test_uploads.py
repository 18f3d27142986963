import hashlib
import socket
import socketserver
import struct
import threading

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template import engines
from django.urls import reverse

from sfoqa import antivirus
from sfoqa.placeholder_pdf import placeholder_pdf
from sfoqa.uploads import (
    DocumentField,
    InspectedUpload,
    document_response,
    docx_content,
    inspect_upload,
    store_upload,
)
from tests.sfoqa import files
from tests.sfoqa.files import DOCX_MIME, PDF_MIME, upload


def refusal(content: bytes, name: str = "document.pdf", **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload(content, name), **kwargs)
    return caught.value


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


# What is accepted


def test_a_pdf_is_described_by_its_content():
    content = files.pdf_bytes()
    inspected = inspect_upload(upload(content, "Review 12.pdf", "text/plain"))
    assert isinstance(inspected, InspectedUpload)
    assert inspected.kind == "pdf"
    assert inspected.content_type == PDF_MIME
    assert inspected.extension == ".pdf"
    assert inspected.size == len(content)
    assert inspected.sha256 == hashlib.sha256(content).hexdigest()
    assert inspected.display_name == "Review 12.pdf"
    assert inspected.file.tell() == 0


def test_a_word_document_is_described_by_its_content():
    content = files.docx_bytes()
    inspected = inspect_upload(upload(content, "Review.DOCX", "application/pdf"))
    assert inspected.kind == "docx"
    assert inspected.content_type == DOCX_MIME
    assert inspected.extension == ".docx"
    assert inspected.size == len(content)
    assert inspected.sha256 == hashlib.sha256(content).hexdigest()
    assert inspected.display_name == "Review.DOCX"


def test_a_word_document_with_web_links_and_chart_data_is_accepted():
    content = files.docx_bytes(
        {
            "word/_rels/document.xml.rels": files.relationships(
                ("hyperlink", "https://www.example.org/", "External")
            ),
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK chart data",
        }
    )
    assert inspect_upload(upload(content, "a.docx")).kind == "docx"


def test_a_name_without_an_extension_gets_the_one_its_content_has():
    assert inspect_upload(upload(files.pdf_bytes(), "review")).display_name == (
        "review.pdf"
    )
    assert inspect_upload(upload(files.docx_bytes(), " \u202e ")).display_name == (
        "document.docx"
    )


def test_the_placeholder_pdf_passes_the_checks():
    content = placeholder_pdf(
        "Review (demo) \\ é", ["This document stands in for the original."]
    )
    assert content.startswith(b"%PDF-1.4")
    assert inspect_upload(upload(content, "demo.pdf")).kind == "pdf"


def test_the_placeholder_pdf_has_correct_cross_reference_offsets():
    content = placeholder_pdf("Title (x)", ["line one", "line (two) \\"])
    startxref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert content[startxref:].startswith(b"xref\n")
    entries = content[startxref:].split(b"\n")[3:10]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry[:10])
        assert content[offset:].startswith(b"%d 0 obj" % number)
    assert b"(line \\(two\\) \\\\)" in content


# 1. Wrong content, and names that do not match it


@pytest.mark.parametrize(
    "content",
    [files.png_bytes(), files.html_bytes(), files.exe_bytes(), b"just text"],
    ids=["png", "html", "exe", "text"],
)
def test_files_that_are_not_pdf_or_word_are_refused_whatever_their_name(content):
    error = refusal(content, "innocent.pdf")
    assert error.code == "wrong_type"
    assert error.messages == ["The selected file must be a PDF or Word document (DOCX)"]


def test_a_pdf_must_start_with_its_signature():
    assert refusal(b"\n" + files.pdf_bytes()).code == "wrong_type"


def test_other_zip_packages_are_refused():
    assert refusal(files.xlsx_bytes(), "a.docx").code == "wrong_type"
    assert refusal(files.docx_bytes({"[Content_Types].xml": None})).code == (
        "wrong_type"
    )


def test_a_zip_with_something_in_front_of_it_is_refused():
    assert refusal(b"<html>" + files.docx_bytes(), "a.docx").code == "wrong_type"


def test_a_pdf_named_docx_is_refused_with_a_message_saying_so():
    error = refusal(files.pdf_bytes(), "review.docx")
    assert error.code == "name_mismatch"
    assert error.messages == [
        "The selected file is a PDF but its name ends in .docx: rename it and try again"
    ]


def test_a_word_document_named_pdf_is_refused_with_a_message_saying_so():
    error = refusal(files.docx_bytes(), "review.pdf")
    assert error.code == "name_mismatch"
    assert error.messages == [
        "The selected file is a Word document (DOCX) but its name ends in .pdf: "
        "rename it and try again"
    ]


def test_a_pdf_named_as_a_web_page_is_refused():
    assert refusal(files.pdf_bytes(), "page.html").code == "name_mismatch"


def test_an_empty_file_is_refused():
    error = refusal(b"")
    assert error.code == "empty"
    assert error.messages == ["The selected file is empty"]


# 2. Size


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    content = files.pdf_bytes() + b"%" * (20 * 1024 * 1024)
    error = refusal(content)
    assert error.code == "too_big"
    assert error.messages == ["The selected file must be smaller than 20 MB"]


def test_the_size_cap_can_be_set_per_call():
    content = files.pdf_bytes()
    error = refusal(content, max_bytes=len(content) - 1)
    assert error.code == "too_big"
    assert inspect_upload(upload(content), max_bytes=len(content)).size == len(content)


def test_the_size_is_counted_not_taken_from_the_client():
    class Lying:
        name = "a.pdf"
        size = 10

        def __init__(self, data):
            import io

            self._data = io.BytesIO(data)
            self.read = self._data.read
            self.seek = self._data.seek

    error = refusal_of(Lying(files.pdf_bytes() + b"%" * 1000), max_bytes=500)
    assert error.code == "too_big"


def refusal_of(file, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(file, **kwargs)
    return caught.value


# 3. Archives that attack the reader


def test_a_zip_bomb_is_refused_without_extracting_it():
    error = refusal(files.zip_bomb_docx(), "bomb.docx")
    assert error.code == "zip_bomb"


def test_a_word_document_expanding_past_the_total_limit_is_refused(settings):
    settings.UPLOAD_DOCX_MAX_EXPANDED_BYTES = 2000
    content = files.docx_bytes({"word/big.xml": "x" * 2000})
    assert refusal(content, "big.docx").code == "zip_bomb"


def test_a_word_document_with_ten_thousand_parts_is_refused():
    error = refusal(files.many_entries_docx(10_000), "many.docx")
    assert error.code == "too_many_parts"


def test_a_thousand_parts_are_still_allowed():
    content = files.many_entries_docx(docx_content.DOCX_MAX_ENTRIES - 4)
    assert inspect_upload(upload(content, "many.docx")).kind == "docx"


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.xml",
        "word/../../evil.xml",
        "/etc/evil.xml",
        "..\\..\\evil.xml",
        "C:/Windows/evil.xml",
        "c:evil.xml",
    ],
)
def test_zip_slip_part_names_are_refused(name):
    error = refusal(files.zip_slip_docx(name), "slip.docx")
    assert error.code == "unsafe_names"


def test_a_package_whose_metadata_declares_entities_is_refused():
    content_types = (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>'
    )
    content = files.docx_bytes({"[Content_Types].xml": content_types})
    assert refusal(content, "a.docx").code == "unreadable"


# 4. Macros, embedded objects and remote content in Word documents


@pytest.mark.parametrize(
    ("content_type", "project"), [(True, True), (True, False), (False, True)]
)
def test_macro_enabled_documents_are_refused(content_type, project):
    content = files.macro_docx(content_type=content_type, project=project)
    error = refusal(content, "macro.docx")
    assert error.code == "macros"
    assert error.messages == [
        "The selected file contains macros, which are not allowed"
    ]


def test_ole_embeddings_are_refused():
    assert refusal(files.ole_docx(), "ole.docx").code == "embedded_objects"


def test_embedded_files_other_than_chart_data_are_refused():
    content = files.docx_bytes({"word/embeddings/payload.exe": files.exe_bytes()})
    assert refusal(content, "a.docx").code == "embedded_objects"


def test_activex_controls_are_refused():
    content = files.docx_bytes({"word/activeX/activeX1.xml": "<ax/>"})
    assert refusal(content, "a.docx").code == "embedded_objects"


def test_a_remote_template_is_refused():
    error = refusal(files.external_rels_docx(), "template.docx")
    assert error.code == "external_content"


def test_a_linked_remote_image_is_refused():
    content = files.docx_bytes(
        {
            "word/_rels/document.xml.rels": files.relationships(
                ("image", "http://127.0.0.1:9/pixel.png", "External")
            )
        }
    )
    assert refusal(content, "a.docx").code == "external_content"


# 5. Active content in PDFs


@pytest.mark.parametrize(
    "token",
    [
        b"/JavaScript",
        b"/JS",
        b"/OpenAction",
        b"/AA",
        b"/Launch",
        b"/EmbeddedFile",
        b"/EmbeddedFiles",
        b"/RichMedia",
        b"/XFA",
    ],
)
def test_pdfs_with_active_content_are_refused(token):
    error = refusal(files.pdf_with(token))
    assert error.code == "active_content"
    assert error.messages == [
        "The selected file contains active content (JavaScript or embedded "
        "files), which is not allowed"
    ]


@pytest.mark.parametrize(
    "token", [b"/J#61vaScript", b"/#4A#53", b"/Open#41ction", b"/#41#41", b"/L#61unch"]
)
def test_hex_escaped_pdf_names_are_refused_too(token):
    assert refusal(files.pdf_with(token)).code == "active_content"


def test_active_content_hidden_in_a_compressed_object_stream_is_refused():
    content = files.pdf_in_object_stream(b"/OpenAction [3 0 R /Fit]")
    assert b"OpenAction" not in content
    assert refusal(content).code == "active_content"


def test_a_compressed_object_stream_without_active_content_is_accepted():
    content = files.pdf_in_object_stream(b"/Lang (en-GB)")
    assert inspect_upload(upload(content)).kind == "pdf"


def test_hex_escaped_names_in_object_streams_are_refused():
    content = files.pdf_in_object_stream(b"/J#61vaScript (x)")
    assert refusal(content).code == "active_content"


def test_names_that_only_contain_a_forbidden_word_are_allowed():
    content = files.pdf_with(b"/JSON /AAx /XFAB")
    assert inspect_upload(upload(content)).kind == "pdf"


@pytest.mark.parametrize("password", ["", "secret"])
def test_encrypted_pdfs_are_refused_because_they_cannot_be_checked(password):
    error = refusal(files.encrypted_pdf(password))
    assert error.code == "encrypted"
    assert error.messages == [
        "The selected file is password protected: save a copy without a "
        "password and try again"
    ]


# 6. Hostile file names


@pytest.mark.parametrize("name", files.hostile_names)
def test_hostile_file_names_are_cleaned_for_display(name):
    display = inspect_upload(upload(files.pdf_bytes(), name)).display_name
    assert len(display) <= 200
    assert display.endswith(".pdf")
    assert "/" not in display
    assert "\\" not in display
    assert not display.startswith(".")
    assert all(ch not in display for ch in "\x00\r\n\u202e\u2066\u2069\u200f")


def test_hostile_file_names_keep_their_readable_part():
    def display(name):
        return inspect_upload(upload(files.pdf_bytes(), name)).display_name

    # A slash separates folders, so only the last part is the name.
    assert display('"><script>alert(1)</script>.pdf') == "script>.pdf"
    assert display('"><img src=x onerror=alert(1)>.pdf') == (
        '"><img src=x onerror=alert(1)>.pdf'
    )
    assert display("..\\..\\x.pdf") == "x.pdf"
    assert display("../../etc/passwd.pdf") == "passwd.pdf"
    assert display("report\u202egpj.pdf") == "reportgpj.pdf"
    assert display("a" * 300 + ".pdf") == "a" * 196 + ".pdf"
    assert display("nul\x00byte.pdf") == "nulbyte.pdf"
    assert display("line\r\nbreak.pdf") == "line break.pdf"
    assert display("  lots   of\tspace .pdf") == "lots of space .pdf"


def test_a_hostile_display_name_is_shown_escaped():
    name = inspect_upload(
        upload(files.pdf_bytes(), '"><img src=x onerror=alert(1)>.pdf')
    ).display_name
    html = engines["django"].from_string("<p>{{ name }}</p>").render({"name": name})
    assert "<img" not in html
    assert html == "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf</p>"


@pytest.mark.parametrize("name", files.hostile_names)
def test_hostile_names_never_reach_the_storage_path(storage, name):
    inspected = inspect_upload(upload(files.pdf_bytes(), name))
    stored = store_upload(inspected, folder="reviews/documents")
    assert stored.startswith("reviews/documents/")
    assert stored.endswith(".pdf")
    generated = stored.removeprefix("reviews/documents/").removesuffix(".pdf")
    assert len(generated) == 32
    assert all(ch in "0123456789abcdef" for ch in generated)
    saved = list(storage.rglob("*.pdf"))
    assert [path.name for path in saved] == [f"{generated}.pdf"]
    assert saved[0].read_bytes() == files.pdf_bytes()


def test_store_upload_refuses_folders_that_are_paths_out(storage):
    inspected = inspect_upload(upload(files.pdf_bytes()))
    for folder in ("../x", "/etc", "a/../../b", "a\\b", ""):
        with pytest.raises(ValueError):
            store_upload(inspected, folder=folder)


def test_store_upload_saves_a_word_document_under_its_own_extension(storage):
    inspected = inspect_upload(upload(files.docx_bytes(), "evil.docx"))
    stored = store_upload(inspected, folder="evidence")
    assert stored.endswith(".docx")
    assert "evil" not in stored
    assert default_storage.open(stored).read() == files.docx_bytes()


# Downloads


def _downloaded(storage, name, content=None):
    content = content or files.pdf_bytes()
    stored = store_upload(inspect_upload(upload(content)), folder="docs")
    response = document_response(
        storage_name=stored, download_name=name, content_type=PDF_MIME
    )
    body = b"".join(response.streaming_content)
    response.file_to_stream.close()
    return response, body


def test_documents_are_sent_as_attachments_that_no_browser_renders(storage):
    response, body = _downloaded(storage, "Review 12.pdf")
    assert body == files.pdf_bytes()
    assert response["Content-Type"] == PDF_MIME
    assert response["Content-Disposition"] == 'attachment; filename="Review 12.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize(
    "name",
    [
        'a"b.pdf',
        "a\r\nSet-Cookie: x=1.pdf",
        'x"; filename="evil.html',
        "a\\b.pdf",
        "a;b.pdf",
        "\u202eevil.pdf",
    ],
)
def test_download_names_cannot_break_the_header(storage, name):
    response, _ = _downloaded(storage, name)
    header = response["Content-Disposition"]
    assert "\r" not in header
    assert "\n" not in header
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    quoted_part = header.split('"')[1]
    assert fallback == quoted_part
    assert header.count('"') == 2
    assert "\\" not in fallback
    assert ";" not in fallback


def test_non_ascii_download_names_use_the_utf8_form(storage):
    response, _ = _downloaded(storage, "Überprüfung “final”.pdf")
    assert response["Content-Disposition"] == (
        'attachment; filename="Uberprufung final.pdf"; '
        "filename*=UTF-8''%C3%9Cberpr%C3%BCfung%20%E2%80%9Cfinal%E2%80%9D.pdf"
    )


@pytest.mark.parametrize(
    ("declared", "sent"),
    [
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("text/csv; charset=utf-8", "text/csv; charset=utf-8"),
        (DOCX_MIME, DOCX_MIME),
    ],
)
def test_only_inert_content_types_are_declared(storage, declared, sent):
    stored = store_upload(inspect_upload(upload(files.pdf_bytes())), folder="docs")
    response = document_response(
        storage_name=stored, download_name="a.pdf", content_type=declared
    )
    response.file_to_stream.close()
    assert response["Content-Type"] == sent


# The form field


class UploadForm(forms.Form):
    document = DocumentField(label="Upload the review", help_text="PDF or Word")


class OptionalUploadForm(forms.Form):
    document = DocumentField(required=False, max_bytes=100_000)


def test_the_field_cleans_to_an_inspected_upload():
    form = UploadForm(data={}, files={"document": upload(files.pdf_bytes(), "r.pdf")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["document"].kind == "pdf"


def test_the_field_gives_the_refusal_as_a_form_error():
    form = UploadForm(data={}, files={"document": upload(files.pdf_with(b"/JS"))})
    assert not form.is_valid()
    assert form.errors["document"] == [
        "The selected file contains active content (JavaScript or embedded "
        "files), which is not allowed"
    ]
    assert form.has_error("document", "active_content")


def test_the_field_asks_for_a_file_when_none_is_chosen():
    form = UploadForm(data={}, files={})
    assert not form.is_valid()
    assert form.errors["document"] == ["Select a file"]


def test_an_optional_field_left_empty_cleans_to_none():
    form = OptionalUploadForm(data={}, files={})
    assert form.is_valid()
    assert form.cleaned_data["document"] is None


def test_the_field_applies_its_own_size_cap():
    content = files.pdf_bytes() + b"%" * 100_000
    form = OptionalUploadForm(data={}, files={"document": upload(content)})
    assert not form.is_valid()
    assert form.errors["document"] == ["The selected file must be smaller than 97 KB"]


def test_an_empty_upload_gets_the_govuk_message():
    form = UploadForm(data={}, files={"document": upload(b"")})
    assert not form.is_valid()
    assert form.errors["document"] == ["The selected file is empty"]


def test_the_field_hints_which_files_to_choose():
    html = str(UploadForm()["document"])
    assert 'type="file"' in html
    assert (
        'accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document"'
    ) in html
    assert UploadForm().fields["document"].label == "Upload the review"


# Antivirus


class FakeClamd(socketserver.BaseRequestHandler):
    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            part = self.request.recv(1)
            if not part:
                return
            command += part
        if command == b"zPING\0":
            self.request.sendall(b"PONG\0")
            return
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", self._exactly(4))[0]
            if size == 0:
                break
            data += self._exactly(size)
        self.server.scanned.append(data)
        if files.EICAR in data:
            self.request.sendall(b"stream: Eicar-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _exactly(self, size):
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data


@pytest.fixture
def clamd_tcp(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    server.daemon_threads = True
    server.scanned = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = server.server_address[1]
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix(settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    server.daemon_threads = True
    server.scanned = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CLAMD_SOCKET = path
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def test_a_clean_file_is_reported_clean(clamd_tcp):
    content = files.pdf_bytes() + b"%" * 200_000  # more than one chunk
    assert antivirus.scan_bytes(content) == "clean"
    assert clamd_tcp.scanned == [content]


def test_an_infected_file_is_reported_infected(clamd_tcp):
    assert antivirus.scan_bytes(files.EICAR) == "infected"


def test_the_scanner_is_reached_over_a_unix_socket_too(clamd_unix):
    assert antivirus.scan_bytes(b"hello") == "clean"
    assert antivirus.scan_bytes(files.EICAR) == "infected"
    status = antivirus.antivirus_status()
    assert status["configured"] is True
    assert status["answering"] is True


def test_no_scanner_configured_says_so(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    assert antivirus.scan_bytes(b"hello") == "not_configured"
    assert antivirus.antivirus_status() == {
        "configured": False,
        "answering": None,
        "description": "No virus scanner is configured: uploaded files are "
        "stored without a scan",
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scanner_that_is_down_gives_an_error_not_clean(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = _closed_port()
    settings.CLAMD_TIMEOUT = 2
    assert antivirus.scan_bytes(b"hello") == "error"
    status = antivirus.antivirus_status()
    assert status["configured"] is True
    assert status["answering"] is False
    assert "not answering" in status["description"]


def test_a_scanner_that_answers_nonsense_gives_an_error(settings):
    class Nonsense(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(100)
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")

    server = socketserver.TCPServer(("127.0.0.1", 0), Nonsense)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = server.server_address[1]
    try:
        assert antivirus.scan_bytes(b"x") == "error"
    finally:
        thread.join(5)
        server.server_close()


def test_a_running_scanner_is_described_as_answering(clamd_tcp):
    status = antivirus.antivirus_status()
    assert status["configured"] is True
    assert status["answering"] is True
    port = clamd_tcp.server_address[1]
    assert status["description"] == f"ClamAV at 127.0.0.1:{port}, answering"


@pytest.mark.django_db
def test_the_admin_home_page_says_when_no_scanner_is_configured(settings, client_for):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    response = client_for("admin").get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Virus scanning" in page
    assert "No virus scanner is configured" in page
    assert "Not configured" in page


@pytest.mark.django_db
def test_the_admin_home_page_shows_a_scanner_that_answers(clamd_tcp, client_for):
    page = client_for("admin").get(reverse("home")).content.decode()
    assert "ClamAV at 127.0.0.1:" in page
    assert "Not configured" not in page


@pytest.mark.django_db
def test_other_roles_do_not_see_the_scanner_status(client_for):
    page = client_for("inspector").get(reverse("home")).content.decode()
    assert "Virus scanning" not in page
