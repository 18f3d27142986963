"""Uploads that a hostile tester built to get past the checks: PDFs whose
active content only a real reader finds, and Word documents that fetch from
outside, hide macros or expand too far."""

import shutil
import subprocess

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from pikepdf import Array, Dictionary, Name, String

from sfoqa.uploads import docx_content, inspect_upload, pdf_content
from tests.sfoqa import files
from tests.sfoqa.files import OFFICE_REL, REL_NS, upload

ACTIVE = [
    "The selected file contains active content (JavaScript or embedded files), "
    "which is not allowed"
]
NOT_READABLE = [
    "The selected file is not a readable PDF: save it again as a PDF and try again"
]
FIELDS = [
    "The selected file has fields that fetch content from outside the document "
    "(such as INCLUDEPICTURE or LINK), which is not allowed"
]
ENCODINGS = ["flate", "flate-chain", "predictor", "hex-flate"]


def refusal(content: bytes, name: str = "document.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload(content, name))
    return caught.value


def pdfinfo(content: bytes, tmp_path) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, timeout=30
    )
    return result.stdout


needs_pdfinfo = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="poppler-utils is not installed"
)


# PDFs: objects in compressed object streams, however they are encoded


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_javascript_in_an_object_stream_is_refused_however_it_is_encoded(encoding):
    content = files.pdf_in_object_stream(files.JAVASCRIPT_ON_OPEN, encoding=encoding)
    assert b"JavaScript" not in content
    error = refusal(content)
    assert error.code == "active_content"
    assert error.messages == ACTIVE


@needs_pdfinfo
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_reader_finds_the_javascript_the_check_refuses(encoding, tmp_path):
    content = files.pdf_in_object_stream(files.JAVASCRIPT_ON_OPEN, encoding=encoding)
    info = pdfinfo(content, tmp_path)
    assert "Pages:           1" in info
    assert "JavaScript:      yes" in info
    clean = files.pdf_in_object_stream(b"/Lang (en-GB)", encoding=encoding)
    assert "JavaScript:      no" in pdfinfo(clean, tmp_path)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_clean_object_stream_is_accepted_however_it_is_encoded(encoding):
    content = files.pdf_in_object_stream(b"/Lang (en-GB)", encoding=encoding)
    assert inspect_upload(upload(content)).kind == "pdf"


# PDFs made with a PDF library, active content in every place a reader looks


def _javascript():
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


def _open_action(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(_javascript())


def _named_javascript(pdf):
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("x"), _javascript()]))
    )


def _page_action(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=_javascript())


def _link(action):
    def build(pdf):
        link = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]), A=action
        )
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(link)])

    return build


def _attachment(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, files.exe_bytes())


def _file_annotation_without_types(pdf):
    payload = pdf.make_stream(files.exe_bytes())
    annotation = Dictionary(
        Subtype=Name.FileAttachment,
        Rect=Array([0, 0, 9, 9]),
        FS=Dictionary(F=String("payload.exe"), EF=Dictionary(F=payload)),
    )
    pdf.pages[0].obj.Annots = Array([annotation])


def _rich_media(pdf):
    annotation = Dictionary(Subtype=Name.RichMedia, Rect=Array([0, 0, 9, 9]))
    pdf.pages[0].obj.Annots = Array([annotation])


def _xfa_form(pdf):
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=pdf.make_stream(b"<xdp/>"))


def _deep_in_arrays(pdf):
    pdf.Root.Extra = Array([Array([Dictionary(Next=Array([_javascript()]))])])


def _in_a_stream_dictionary(pdf):
    pdf.Root.Extra = pdf.make_stream(b"data", AA=Dictionary(O=_javascript()))


def _escaped_name(pdf):
    # Written as /J#53 in the file; a reader sees /JS.
    pdf.Root.Extra = Dictionary({"/J#53": String("app.alert(1)")})


HOSTILE_PDFS = {
    "open action": _open_action,
    "named javascript": _named_javascript,
    "page action": _page_action,
    "launch": _link(Dictionary(S=Name.Launch, F=String("cmd.exe"))),
    "submit form": _link(Dictionary(S=Name.SubmitForm, F=String("http://x/"))),
    "import data": _link(Dictionary(S=Name.ImportData, F=String("data.fdf"))),
    "go to remote": _link(Dictionary(S=Name.GoToR, F=String("other.pdf"))),
    "go to embedded": _link(Dictionary(S=Name.GoToE, T=Dictionary())),
    "javascript link": _link(_javascript()),
    "attachment": _attachment,
    "file annotation": _file_annotation_without_types,
    "rich media": _rich_media,
    "xfa form": _xfa_form,
    "deep in arrays": _deep_in_arrays,
    "stream dictionary": _in_a_stream_dictionary,
}


@pytest.mark.parametrize("build", HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys())
def test_active_content_anywhere_in_a_pdf_is_refused(build):
    error = refusal(files.pikepdf_with(build))
    assert error.code == "active_content"
    assert error.messages == ACTIVE


def test_names_written_with_escapes_are_read_as_a_reader_reads_them():
    content = files.pdf_bytes(extra=b"/Extra << /J#53 (app.alert\\(1\\)) >>")
    assert refusal(content).code == "active_content"


def _uri(target: str):
    return _link(Dictionary(S=Name.URI, URI=String(target)))


@pytest.mark.parametrize(
    "target",
    [
        "file:///C:/Windows/System32/calc.exe",
        "FILE://server/share/x.docx",
        " \tfile:///etc/passwd",
        "\\\\attacker.example\\share\\x.png",
        "//attacker.example/share/x.png",
        "smb://attacker.example/share",
        "javascript:app.alert(1)",
    ],
)
def test_links_to_files_and_network_shares_are_refused(target):
    error = refusal(files.pikepdf_with(_uri(target)))
    assert error.code == "external_content"
    assert error.messages == [
        "The selected file links to files on a computer or network share, which "
        "is not allowed"
    ]


def test_a_base_address_that_is_a_file_is_refused():
    def build(pdf):
        pdf.Root.URI = Dictionary(Base=String("file:///C:/"))

    assert refusal(files.pikepdf_with(build)).code == "external_content"


@pytest.mark.parametrize(
    "target", ["https://www.gov.uk/", "http://example.org/a", "mailto:a@example.org"]
)
def test_web_and_email_links_are_accepted(target):
    content = files.pikepdf_with(_uri(target))
    assert inspect_upload(upload(content)).kind == "pdf"


# PDFs a reader would have to repair, or cannot open


@pytest.mark.parametrize(
    "content",
    [
        files.truncated_pdf(),
        b"%PDF-1.4\n",
        b"%PDF-1.4 ",
        files.pdf_with_broken_cross_reference(),
        files.pdf_bytes().replace(b"startxref\n", b"startxref\n9"),
    ],
    ids=["truncated", "header only", "9-byte header", "broken xref", "bad startxref"],
)
def test_a_pdf_that_cannot_be_read_as_it_stands_is_refused(content):
    error = refusal(content)
    assert error.code == "unreadable"
    assert error.messages == NOT_READABLE


def test_a_pdf_whose_objects_are_not_where_the_table_says_is_refused():
    # The catalogue opens; the font (object 4) is only found by a repair.
    content = files.pdf_with_broken_cross_reference(objects={4})
    error = refusal(content)
    assert error.code == "unreadable"
    assert error.messages == NOT_READABLE


# Work a hostile PDF can make


def test_a_pdf_with_more_values_than_the_check_visits_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_content, "PDF_MAX_VALUES", 50)

    def build(pdf):
        pdf.Root.Numbers = Array(list(range(100)))

    error = refusal(files.pikepdf_with(build))
    assert error.code == "too_complex"
    assert error.messages == [
        "The selected file is too complex to check safely: save it again as a "
        "PDF and try again"
    ]


def test_a_pdf_with_too_many_objects_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_content, "PDF_MAX_OBJECTS", 10)

    def build(pdf):
        pdf.Root.Many = Array([pdf.make_indirect(Dictionary()) for _ in range(20)])

    assert refusal(files.pikepdf_with(build)).code == "too_complex"


def test_object_streams_decoding_past_the_budget_are_refused(monkeypatch):
    monkeypatch.setattr(pdf_content, "PDF_MAX_DECODED_BYTES", 1000)
    content = files.pdf_in_object_stream(b"/Lang (en-GB) " + b" " * 5000)
    assert refusal(content).code == "too_complex"


# Word documents: fields that fetch from outside

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_document(body: str, part: str = "word/document.xml", **members) -> bytes:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return files.docx_bytes({part: xml, **members})


def complex_field(*instructions: str, result: str = "x") -> str:
    """A field as Word writes it: begin, instruction runs, separate, result,
    end."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'
        for text in instructions
    )
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + runs
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + f"<w:r><w:t>{result}</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def simple_field(instruction: str) -> str:
    return (
        f'<w:p><w:fldSimple w:instr="{instruction}">'
        "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
    )


FETCHING = [
    ' INCLUDEPICTURE "http://127.0.0.1:9/pixel.png" \\d ',
    ' INCLUDETEXT "\\\\\\\\attacker\\\\share\\\\text.docx" ',
    ' LINK Excel.Sheet.12 "C:\\\\data\\\\book.xlsx" "Sheet1!R1C1" \\a ',
    ' DDE "cmd" "/c calc" "x" ',
    ' DDEAUTO "c:\\\\windows\\\\system32\\\\cmd.exe" "/k calc" ',
    ' includepicture "https://example.org/x.png" ',
    ' INCLUDE "file:///etc/passwd" ',
]


@pytest.mark.parametrize("instruction", FETCHING)
def test_fields_that_fetch_from_outside_are_refused(instruction):
    error = refusal(word_document(complex_field(instruction)), "a.docx")
    assert error.code == "external_fields"
    assert error.messages == FIELDS


@pytest.mark.parametrize("instruction", FETCHING)
def test_simple_fields_that_fetch_from_outside_are_refused(instruction):
    content = word_document(simple_field(instruction.replace('"', "&quot;")))
    assert refusal(content, "a.docx").code == "external_fields"


def test_a_field_split_across_runs_is_read_whole():
    field = complex_field(" INCLUDE", "PICT", 'URE "http://127.0.0.1:9/p.png" ')
    assert refusal(word_document(field), "a.docx").code == "external_fields"


def test_a_field_inside_another_field_is_refused():
    inner = complex_field(' INCLUDETEXT "http://127.0.0.1:9/t.docx" ')
    outer = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> IF 1 = 1 "</w:instrText></w:r>'
        + inner.removeprefix("<w:p>").removesuffix("</w:p>")
        + '<w:r><w:instrText>" "" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert refusal(word_document(outer), "a.docx").code == "external_fields"


def test_a_nested_field_cannot_break_up_the_outer_fields_name():
    page = complex_field(" PAGE ")
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText>INCLUDE</w:instrText></w:r>"
        + page.removeprefix("<w:p>").removesuffix("</w:p>")
        + '<w:r><w:instrText>PICTURE "http://127.0.0.1:9/p.png"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert refusal(word_document(field), "a.docx").code == "external_fields"


def test_fields_in_headers_and_oddly_named_parts_are_refused():
    header = word_document("", part="word/header1.xml")
    assert inspect_upload(upload(header, "a.docx")).kind == "docx"
    field = complex_field(' INCLUDEPICTURE "http://127.0.0.1:9/p.png" ')
    assert refusal(word_document(field, part="word/header1.xml"), "a.docx").code == (
        "external_fields"
    )
    odd = files.docx_bytes(
        {"word/header1.bin": (f'<w:hdr xmlns:w="{W}">{field}</w:hdr>')},
        '<Override PartName="/word/header1.bin" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>',
    )
    assert refusal(odd, "a.docx").code == "external_fields"


@pytest.mark.parametrize(
    "body",
    [
        complex_field(" PAGE "),
        complex_field(' HYPERLINK "https://www.gov.uk/" '),
        complex_field(' TOC \\o "1-3" \\h '),
        simple_field(" MERGEFIELD Name "),
        "<w:p><w:r><w:t>INCLUDEPICTURE http://example.org/ in text</w:t></w:r></w:p>",
    ],
    ids=["page", "hyperlink", "toc", "mergefield", "text"],
)
def test_ordinary_fields_and_text_are_accepted(body):
    assert inspect_upload(upload(word_document(body), "a.docx")).kind == "docx"


# Word documents: relationships that point outside


def rels(*items: tuple[str, str, str | None]) -> str:
    body = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode is not None else "")
        + "/>"
        for n, (kind, target, mode) in enumerate(items, start=1)
    )
    return (
        f'<?xml version="1.0"?><Relationships xmlns="{REL_NS}">{body}</Relationships>'
    )


def with_rels(*items) -> bytes:
    return files.docx_bytes({"word/_rels/document.xml.rels": rels(*items)})


HYPERLINK = f"{OFFICE_REL}/hyperlink"


@pytest.mark.parametrize(
    "relationship",
    [
        (f"{OFFICE_REL}/attachedTemplate", "http://127.0.0.1:9/t.dotm", "EXTERNAL"),
        (f"{OFFICE_REL}/attachedTemplate", "http://127.0.0.1:9/t.dotm", " external "),
        (
            f"{OFFICE_REL}/attachedTemplate#/hyperlink",
            "http://127.0.0.1:9/t",
            "External",
        ),
        (f"{OFFICE_REL}/image", "http://127.0.0.1:9/p.png", None),
        (f"{OFFICE_REL}/image", "\\\\attacker\\share\\p.png", None),
        (f"{OFFICE_REL}/image", "//attacker/share/p.png", None),
        (f"{OFFICE_REL}/image", "file:///C:/p.png", None),
        (f"{OFFICE_REL}/image", "%5C%5Cattacker%5Cshare%5Cp.png", None),
        (f"{OFFICE_REL}/subDocument", "C:\\docs\\sub.docx", None),
        (f"{OFFICE_REL.upper()}/HYPERLINK", "https://example.org/", "External"),
        (HYPERLINK, "\\\\attacker\\share\\x.docx", "External"),
        (HYPERLINK, "file:///etc/passwd", "External"),
    ],
    ids=[
        "mode upper case",
        "mode with spaces",
        "hyperlink suffix",
        "url without mode",
        "unc without mode",
        "slashes without mode",
        "file without mode",
        "encoded unc",
        "drive path",
        "hyperlink type in upper case",
        "hyperlink to a share",
        "hyperlink to a file",
    ],
)
def test_relationships_that_point_outside_are_refused(relationship):
    error = refusal(with_rels(relationship), "a.docx")
    assert error.code == "external_content"


@pytest.mark.parametrize(
    "relationship",
    [
        (HYPERLINK, "https://www.gov.uk/guidance", "External"),
        (HYPERLINK, "mailto:someone@example.org", "External"),
        (
            "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
            "http://example.org/",
            "External",
        ),
        (f"{OFFICE_REL}/image", "media/image1.png", None),
        (f"{OFFICE_REL}/styles", "/word/styles.xml", None),
    ],
)
def test_web_links_and_parts_inside_the_package_are_accepted(relationship):
    assert inspect_upload(upload(with_rels(relationship), "a.docx")).kind == "docx"


# Word documents: macros wherever they hide


@pytest.mark.parametrize(
    "members",
    [
        {"customXml/VBAPROJECT.BIN": b"\xd0\xcf\x11\xe0"},
        {"word/media/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
        {
            "word/_rels/document.xml.rels": rels(
                (
                    "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                    "media/x.bin",
                    None,
                )
            )
        },
        {
            "word/_rels/document.xml.rels": rels(
                (f"{OFFICE_REL}/image", "Media/VbaProject.bin", None)
            )
        },
    ],
    ids=["upper case name", "elsewhere", "relationship type", "relationship target"],
)
def test_macro_projects_are_refused_wherever_they_are(members):
    assert refusal(files.docx_bytes(members), "a.docx").code == "macros"


def test_a_macro_project_declared_as_a_content_type_is_refused():
    content = files.docx_bytes(
        {},
        '<Override PartName="/word/x.bin" '
        'ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    assert refusal(content, "a.docx").code == "macros"


# Word documents: size when opened, and XML that attacks its parser


def test_the_expanded_size_limit_is_100_mb_unless_configured(settings):
    assert settings.UPLOAD_DOCX_MAX_EXPANDED_BYTES == 100 * 1024 * 1024


def test_a_package_expanding_past_the_configured_total_is_refused(settings):
    settings.UPLOAD_DOCX_MAX_EXPANDED_BYTES = 3 * 1024 * 1024
    # Each part is under the per-part ratio check; together they are too much.
    parts = {f"word/media/p{i}.xml": "<a>" + "x" * 900_000 + "</a>" for i in range(4)}
    error = refusal(files.docx_bytes(parts), "big.docx")
    assert error.code == "zip_bomb"
    assert error.messages == [
        "The selected file expands to more than 3 MB when opened, so it cannot be "
        "checked safely: save it as a new Word document with smaller pictures and "
        "try again"
    ]
    settings.UPLOAD_DOCX_MAX_EXPANDED_BYTES = 5 * 1024 * 1024
    assert inspect_upload(upload(files.docx_bytes(parts), "big.docx")).kind == "docx"


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        f'<w:document xmlns:w="{W}">&b;</w:document>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W}">&x;</w:document>',
        f'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/d.dtd">'
        f'<w:document xmlns:w="{W}"/>',
        f'<w:document xmlns:w="{W}"><w:body>',
    ],
    ids=["entity expansion", "external entity", "external dtd", "not well formed"],
)
def test_document_xml_with_a_dtd_or_broken_markup_is_refused(xml):
    content = files.docx_bytes({"word/document.xml": xml})
    assert refusal(content, "a.docx").code == "unreadable"


def test_a_field_is_found_whatever_prefix_the_part_gives_its_namespace():
    field = complex_field(' INCLUDEPICTURE "http://127.0.0.1:9/p.png" ')
    xml = (
        f'<wx:document xmlns:wx="{W}"><wx:body>'
        + field.replace("w:", "wx:")
        + "</wx:body></wx:document>"
    )
    content = files.docx_bytes({"word/document.xml": xml})
    assert refusal(content, "a.docx").code == "external_fields"


def test_a_package_with_more_elements_than_the_check_reads_is_refused(monkeypatch):
    monkeypatch.setattr(docx_content, "DOCX_MAX_ELEMENTS", 20)
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 10
    error = refusal(word_document(body), "a.docx")
    assert error.code == "too_complex"
    assert error.messages == [
        "The selected file is too complex to check safely: save it as a new Word "
        "document and try again"
    ]
