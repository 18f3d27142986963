"""
Word (DOCX) checks: read the zip's central directory first and never extract
to disk; then parse every XML part, streaming and with defusedxml (no DTDs,
no entities), for macros, relationships that reach outside the document and
field codes that fetch from outside.
"""

import io
import re
import zipfile
import zlib
from urllib.parse import unquote
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from defusedxml.sax import make_parser
from django.conf import settings
from django.utils.translation import gettext as _

from sfoqa.uploads.common import refuse, refuse_encrypted, refuse_unreadable

# DOCX limits: the central directory is read before any part is.
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_RATIO = 100
# Small entries may compress very well without being a bomb.
DOCX_RATIO_FLOOR = 1024 * 1024
WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
# Chart data inside Word documents is an ordinary, macro-free workbook.
DOCX_ALLOWED_EMBEDDINGS = (".xlsx", ".docx", ".pptx")
# Web links are the one kind of relationship that may point outside: Word
# follows them only when someone clicks. Only these exact types count.
HYPERLINK_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
    }
)
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Word updates these fields from a file, a URL or another program.
FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO"}
)
FIELD_TYPE = re.compile(r'\s*([^\s"\\]+)')
INSTRUCTION_ELEMENTS = frozenset({"instrText", "delInstrText"})
# Elements parsed in all the parts together: enough for a long report, and
# a bound on the time a hostile package can take.
DOCX_MAX_ELEMENTS = 1_000_000
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError)
XML_ERRORS = (SAXException, DefusedXmlException, *ZIP_ERRORS, EOFError, OSError)


def _refuse_macros():
    refuse(_("The selected file contains macros, which are not allowed"), "macros")


def _refuse_external():
    refuse(
        _(
            "The selected file links to content outside the document (such as a "
            "remote template), which is not allowed"
        ),
        "external_content",
    )


def _refuse_too_complex():
    refuse(
        _(
            "The selected file is too complex to check safely: save it as a new "
            "Word document and try again"
        ),
        "too_complex",
    )


def _refuse_fetching_field():
    refuse(
        _(
            "The selected file has fields that fetch content from outside the "
            "document (such as INCLUDEPICTURE or LINK), which is not allowed"
        ),
        "external_fields",
    )


def _unsafe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name:
        return True
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def _local(name: str) -> str:
    """A name without its namespace, whether `{uri}name` or `prefix:name`."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _attribute(attrs, local: str) -> str:
    """An attribute by its local name, whatever its prefix."""
    for name, value in attrs.items():
        if _local(name) == local:
            return value or ""
    return ""


def _normal_target(target: str) -> str:
    target = unquote(target)
    return re.sub(r"[\x00-\x20\x7f]+", "", target).replace("\\", "/").lower()


def target_is_outside(target: str) -> bool:
    """True for a URL, a `file:` or drive path, or a network share."""
    target = _normal_target(target)
    return bool(URL_SCHEME.match(target)) or target.startswith("//")


def _is_web_link(kind: str, target: str) -> bool:
    scheme = URL_SCHEME.match(_normal_target(target))
    return kind in HYPERLINK_TYPES and bool(scheme) and scheme[1] in WEB_SCHEMES


def _check_relationship(attrs) -> None:
    kind = _attribute(attrs, "Type")
    target = _attribute(attrs, "Target")
    if "vbaproject" in kind.lower() or "vbaproject" in _normal_target(target):
        _refuse_macros()
    outside = _attribute(attrs, "TargetMode").strip().lower() == "external"
    if (outside or target_is_outside(target)) and not _is_web_link(kind, target):
        _refuse_external()


def _check_instruction(text: str) -> None:
    if (match := FIELD_TYPE.match(text)) and match[1].upper() in FETCHING_FIELDS:
        _refuse_fetching_field()


class _PartChecker(ContentHandler):
    """Checks one XML part as it streams past: relationships (in .rels
    parts) and field instructions, which Word may split across runs."""

    def __init__(self, *, relationships: bool, budget: list[int]):
        super().__init__()
        self.relationships = relationships
        self.budget = budget
        # One entry per open field: its own instruction text so far, or None
        # once the instruction has ended and been checked.
        self.fields: list[list[str] | None] = []
        self.text: list[str] | None = None

    def startElement(self, name, attrs):
        self.budget[0] -= 1
        if self.budget[0] < 0:
            _refuse_too_complex()
        local = _local(name)
        if local == "Relationship" and self.relationships:
            _check_relationship(attrs)
        elif local == "fldSimple":
            _check_instruction(_attribute(attrs, "instr"))
        elif local == "fldChar":
            self._field_character(_attribute(attrs, "fldCharType"))
        elif local in INSTRUCTION_ELEMENTS:
            self.text = []

    def characters(self, content):
        if self.text is not None:
            self.text.append(content)

    def endElement(self, name):
        if self.text is not None and _local(name) in INSTRUCTION_ELEMENTS:
            text, self.text = "".join(self.text), None
            if self.fields and self.fields[-1] is not None:
                self.fields[-1].append(text)
            else:
                _check_instruction(text)

    def endDocument(self):
        for field in self.fields:
            if field is not None:
                _check_instruction("".join(field))

    def _field_character(self, kind: str) -> None:
        if kind == "begin":
            self.fields.append([])
        elif self.fields and kind in ("separate", "end"):
            field = self.fields.pop() if kind == "end" else self.fields[-1]
            if field is not None:
                _check_instruction("".join(field))
            if kind == "separate":
                self.fields[-1] = None


def _check_xml_part(archive, info, *, relationships: bool, budget) -> None:
    # Names are matched by their local part, whatever prefix a part uses, so
    # the parser need not resolve namespaces (and runs faster without).
    parser = make_parser()
    parser.forbid_dtd = True
    parser.setContentHandler(_PartChecker(relationships=relationships, budget=budget))
    try:
        with archive.open(info) as part:
            parser.parse(part)
    except XML_ERRORS:
        refuse_unreadable()


def _content_types(archive, info) -> tuple[dict, dict]:
    """Default types by extension, and override types by part name."""
    try:
        with archive.open(info) as part:
            root = fromstring(part.read(), forbid_dtd=True)
    except (*XML_ERRORS, SyntaxError):
        refuse_unreadable()
    defaults, overrides = {}, {}
    for element in root.iter():
        kind = (element.get("ContentType") or "").lower()
        if _local(element.tag) == "Default":
            defaults[(element.get("Extension") or "").lower()] = kind
        elif _local(element.tag) == "Override":
            overrides[(element.get("PartName") or "").lower()] = kind
    return defaults, overrides


def _check_sizes(infos) -> None:
    bomb = _(
        "The selected file expands to far more than its size, so it cannot be "
        "checked safely: save it as a new Word document and try again"
    )
    for info in infos:
        if info.file_size > DOCX_RATIO_FLOOR and info.file_size > DOCX_MAX_RATIO * max(
            info.compress_size, 1
        ):
            refuse(bomb, "zip_bomb")
        if info.flag_bits & 0x1:
            refuse_encrypted()
    limit = settings.UPLOAD_DOCX_MAX_EXPANDED_BYTES
    if sum(info.file_size for info in infos) > limit:
        refuse(
            _(
                "The selected file expands to more than %(size)s MB when opened, "
                "so it cannot be checked safely: save it as a new Word document "
                "with smaller pictures and try again"
            ),
            "zip_bomb",
            size=max(1, limit // (1024 * 1024)),
        )


def _check_names(names: list[str]) -> None:
    if any(_unsafe_member_name(name) for name in names) or len(
        {name.lower() for name in names}
    ) != len(names):
        refuse(
            _(
                "The selected file contains parts with unsafe names, which is not "
                "allowed"
            ),
            "unsafe_names",
        )
    lowered = [name.lower() for name in names]
    if any(
        "vbaproject" in name or name.rsplit("/", 1)[-1] == "vbadata.xml"
        for name in lowered
    ):
        _refuse_macros()


def is_word_document(data: bytes) -> bool:
    """True when `data` is a Word document; refuses unsafe packages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False
    if len(infos) > DOCX_MAX_ENTRIES:
        refuse(
            _(
                "The selected file has too many parts to check safely: save it "
                "as a new Word document and try again"
            ),
            "too_many_parts",
        )
    _check_names([info.filename for info in infos])
    _check_sizes(infos)
    by_name = {info.filename.lower(): info for info in infos}
    if "[content_types].xml" not in by_name:
        return False
    defaults, overrides = _content_types(archive, by_name["[content_types].xml"])
    declared = [*defaults.values(), *overrides.values()]
    if any("macroenabled" in kind or "vbaproject" in kind for kind in declared):
        _refuse_macros()
    if WORD_MAIN not in declared:
        return False
    _inspect_docx_parts(archive, infos, declared, defaults, overrides)
    return True


def _part_type(name: str, defaults: dict, overrides: dict) -> str:
    lowered = name.lower()
    if f"/{lowered}" in overrides:
        return overrides[f"/{lowered}"]
    return defaults.get(lowered.rsplit(".", 1)[-1] if "." in lowered else "", "")


def _inspect_docx_parts(archive, infos, declared, defaults, overrides) -> None:
    embedded = _(
        "The selected file contains embedded objects (OLE or ActiveX), which are "
        "not allowed"
    )
    if any("oleobject" in kind or "activex" in kind for kind in declared):
        refuse(embedded, "embedded_objects")
    for info in infos:
        lowered = info.filename.lower()
        if "/activex/" in f"/{lowered}" or "oleobject" in lowered:
            refuse(embedded, "embedded_objects")
        if "/embeddings/" in f"/{lowered}" and not lowered.endswith(
            DOCX_ALLOWED_EMBEDDINGS
        ):
            refuse(embedded, "embedded_objects")
    budget = [DOCX_MAX_ELEMENTS]
    for info in infos:
        lowered = info.filename.lower()
        kind = _part_type(info.filename, defaults, overrides)
        if info.is_dir() or not info.file_size or lowered == "[content_types].xml":
            continue
        if lowered.endswith((".xml", ".rels")) or kind.endswith("xml"):
            relationships = lowered.endswith(".rels") or "relationships" in kind
            _check_xml_part(archive, info, relationships=relationships, budget=budget)
