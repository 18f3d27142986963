"""
Word (DOCX) checks: read the zip's central directory, never extract; read
only small package metadata ([Content_Types].xml and .rels parts), parsed
without DTDs or entities.
"""

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from sfoqa.uploads.common import refuse, refuse_encrypted, refuse_unreadable

# DOCX limits: the central directory is read, never extracted.
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100
# Small entries may compress very well without being a bomb.
DOCX_RATIO_FLOOR = 1024 * 1024
# The only members read are package metadata, capped at this size.
DOCX_MAX_METADATA_BYTES = 1024 * 1024
DOCX_MAX_METADATA_TOTAL = 16 * 1024 * 1024
WORD_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
# Chart data inside Word documents is an ordinary, macro-free workbook.
DOCX_ALLOWED_EMBEDDINGS = (".xlsx", ".docx", ".pptx")
HYPERLINK_TYPE_SUFFIX = "/hyperlink"


def _unsafe_member_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name:
        return True
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def _safe_xml(raw: bytes):
    """Parse package metadata; documents that declare a DTD or entities are
    refused rather than parsed."""
    head = raw[:4096].lower()
    if b"<!doctype" in raw.lower() or b"<!entity" in head:
        refuse_unreadable()
    try:
        return ElementTree.fromstring(raw)  # noqa: S314 (no DTD: checked above)
    except ElementTree.ParseError:
        refuse_unreadable()


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as member:
            raw = member.read(DOCX_MAX_METADATA_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError):
        refuse_unreadable()
    if len(raw) > DOCX_MAX_METADATA_BYTES:
        refuse_unreadable()
    return raw


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


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
    names = [info.filename for info in infos]
    if any(_unsafe_member_name(name) for name in names) or len(set(names)) != len(
        names
    ):
        refuse(
            _(
                "The selected file contains parts with unsafe names, which is not "
                "allowed"
            ),
            "unsafe_names",
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio_too_high = (
            info.file_size > DOCX_RATIO_FLOOR
            and info.file_size > DOCX_MAX_RATIO * max(info.compress_size, 1)
        )
        if ratio_too_high or total > DOCX_MAX_TOTAL_UNCOMPRESSED:
            refuse(
                _(
                    "The selected file expands to far more than its size, so it "
                    "cannot be checked safely: save it as a new Word document and "
                    "try again"
                ),
                "zip_bomb",
            )
        if info.flag_bits & 0x1:
            refuse_encrypted()
    metadata = [
        info
        for info in infos
        if info.filename.lower().endswith(".rels")
        or info.filename == "[Content_Types].xml"
    ]
    if sum(info.file_size for info in metadata) > DOCX_MAX_METADATA_TOTAL:
        refuse_unreadable()
    by_name = {info.filename: info for info in infos}
    content_types = by_name.get("[Content_Types].xml")
    if content_types is None:
        return False
    root = _safe_xml(_read_member(archive, content_types))
    declared = [(element.get("ContentType") or "") for element in root.iter()]
    lowered = [value.lower() for value in declared]
    macro_names = ("vbaproject.bin", "vbadata.xml")
    if any("macroenabled" in value for value in lowered) or any(
        name.lower().rsplit("/", 1)[-1] in macro_names for name in names
    ):
        refuse(_("The selected file contains macros, which are not allowed"), "macros")
    if WORD_MAIN not in declared:
        return False
    _inspect_docx_parts(archive, infos, lowered)
    return True


def _inspect_docx_parts(archive, infos, content_types) -> None:
    embedded = _(
        "The selected file contains embedded objects (OLE or ActiveX), which are "
        "not allowed"
    )
    if any("oleobject" in value or "activex" in value for value in content_types):
        refuse(embedded, "embedded_objects")
    for info in infos:
        lowered = info.filename.lower()
        if "/activex/" in f"/{lowered}" or "oleobject" in lowered:
            refuse(embedded, "embedded_objects")
        if "/embeddings/" in f"/{lowered}" and not lowered.endswith(
            DOCX_ALLOWED_EMBEDDINGS
        ):
            refuse(embedded, "embedded_objects")
        if lowered.endswith(".rels"):
            root = _safe_xml(_read_member(archive, info))
            for element in root.iter():
                if _local(element.tag) != "Relationship":
                    continue
                external = (element.get("TargetMode") or "").lower() == "external"
                kind = element.get("Type") or ""
                if external and not kind.endswith(HYPERLINK_TYPE_SUFFIX):
                    refuse(
                        _(
                            "The selected file links to content outside the "
                            "document (such as a remote template), which is not "
                            "allowed"
                        ),
                        "external_content",
                    )
