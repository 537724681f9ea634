"""Open Office packages and parse their XML parts without trusting them.

A .docx is a zip of XML parts, so two classic attacks apply before a single word is read:

* zip bombs: a few kilobytes that inflate to gigabytes. The zip's central directory declares every
  member's sizes; we refuse the package from those declarations before inflating anything, and
  members are inflated in bounded steps that stop at the declared size (then fail the CRC check),
  so a lying header cannot get past the limits either.
* XML entity attacks (billion laughs, external entities): Word never writes a DOCTYPE, so any part
  that declares one is refused outright. The parser is additionally configured never to resolve
  entities, load a DTD or touch the network, and to keep libxml2's size limits (no `huge_tree`).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from checker.errors import InputError

MAX_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, sum over all members
MAX_MEMBER_RATIO = 200  # compression ratio above which a big member is suspicious ...
MAX_RATIO_MEMBER_SIZE = 10 * 1024 * 1024  # ... when it also inflates to more than this
MAX_MEMBERS = 20_000
_CHUNK = 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Everything `zipfile` raises for a damaged archive: besides BadZipFile, a header claiming a
# newer zip version or compression method gives NotImplementedError, an encrypted member
# RuntimeError, a cut stream EOFError or zlib.error.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


def open_package(subject: str, data: bytes) -> zipfile.ZipFile:
    """Open the bytes of an OPC package (docx) as a zip, refusing damaged, encrypted or bomb archives."""
    if data.startswith(_OLE2):
        raise InputError(
            subject,
            "password-protected or legacy Word (.doc) file (OLE2 container); "
            "remove the password or save it as .docx and try again",
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS:
        raise InputError(subject, "damaged or truncated .docx (the zip package cannot be opened)") from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(subject, f"refused: the package has {len(infos)} members (zip bomb?)")
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if info.flag_bits & 0x1:
            raise InputError(subject, f"refused: package member {info.filename} is encrypted")
        if size > MAX_RATIO_MEMBER_SIZE and size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise InputError(
                subject,
                f"refused: package member {info.filename} inflates {ratio}:1 to {size // 1048576} MB "
                "(zip bomb?)",
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise InputError(
            subject,
            f"refused: the package would inflate to {total // 1048576} MB "
            f"(limit {MAX_TOTAL_UNCOMPRESSED // 1048576} MB; zip bomb?)",
        )
    return zf


def read_member(subject: str, zf: zipfile.ZipFile, name: str) -> bytes:
    """Inflate one member, turning zip damage into `InputError`.

    Read in 1 MiB steps: `zipfile` stops at the member's declared size (already checked by
    `open_package`), but a single unbounded `read()` lets zlib inflate up to 1 GiB in one call
    before that limit applies, which a member lying about its size could exploit.
    """
    try:
        chunks = []
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                chunks.append(chunk)
        return b"".join(chunks)
    except KeyError:
        raise InputError(subject, f"the package has no part {name}") from None
    except ZIP_ERRORS as exc:
        why = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise InputError(subject, f"damaged or truncated .docx (part {name}: {why})") from None


def _parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


class PartParser:
    """Parses the XML parts of one package safely; one instance per document."""

    __slots__ = ("_parser", "subject")

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self._parser = _parser()

    def parse(self, name: str, data: bytes) -> etree._Element:
        """Parse part `name`, refusing DOCTYPEs and malformed XML with a one-line `InputError`."""
        if _declares_doctype(data):
            raise InputError(
                self.subject,
                f"refused: XML part {name} declares a DOCTYPE/entities (Word never writes one; "
                "possible entity-expansion attack)",
            )
        try:
            root = etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError as exc:
            msg = (str(exc).splitlines() or ["syntax error"])[0]
            msg = msg.split(" (<string>", 1)[0]
            if "XML_PARSE_HUGE" in msg or "huge" in msg.lower():  # libxml2's safety limits
                raise InputError(
                    self.subject, f"refused: XML part {name} is nested too deeply or too large to read safely"
                ) from None
            raise InputError(self.subject, f"malformed XML in part {name} ({msg})") from None
        except (ValueError, etree.LxmlError) as exc:
            raise InputError(
                self.subject, f"malformed XML in part {name} ({exc.__class__.__name__})"
            ) from None
        if root is None:
            raise InputError(self.subject, f"XML part {name} is empty")
        if root.getroottree().docinfo.doctype:
            raise InputError(self.subject, f"refused: XML part {name} declares a DOCTYPE")
        return root


def _declares_doctype(data: bytes) -> bool:
    """Does the part declare a DOCTYPE or entities? (Checked again on the parsed tree.)"""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 1 and (head[0] == 0 or head[1] == 0)):
        for codec in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "<!DOCTYPE" in text or "<!ENTITY" in text:
                return True
        return False
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data
