"""The XMP packet of a PDF/A-2b document: the same words and dates as its Info dictionary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

PDFA_PART = 2
PDFA_CONFORMANCE = "B"


@dataclass(frozen=True, slots=True)
class Metadata:
    """One document's metadata, written twice: Info dictionary and XMP (PDF/A wants both
    to say exactly the same)."""

    title: str
    subject: str
    author: str
    keywords: str
    creator: str  # the application that made the content (xmp:CreatorTool)
    producer: str  # the library that wrote the PDF (pdf:Producer)
    created: datetime  # timezone-aware
    modified: datetime  # timezone-aware

    def info(self) -> dict[str, str]:
        """The Info dictionary's entries (keys without the slash)."""
        return {
            "Title": clean(self.title),
            "Subject": clean(self.subject),
            "Author": clean(self.author),
            "Keywords": clean(self.keywords),
            "Creator": clean(self.creator),
            "Producer": clean(self.producer),
            "CreationDate": pdf_date(self.created),
            "ModDate": pdf_date(self.modified),
        }


def pdf_date(moment: datetime) -> str:
    """A PDF date string, D:YYYYMMDDHHmmSS+HH'mm' (ISO 32000-1, 7.9.4)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("PDF dates need a timezone")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{rest:02d}'"


def xmp_date(moment: datetime) -> str:
    """The same instant as an XMP date (ISO 8601 with offset, whole seconds)."""
    if moment.utcoffset() is None:
        raise ValueError("XMP dates need a timezone")
    return moment.isoformat(timespec="seconds")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Element text: escaped, without the characters XML 1.0 cannot carry (a kiosk id
    from a configuration file could hold one; the Info entry is cleaned the same way)."""
    return escape(clean(value), {'"': "&quot;"})


def clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def xmp_packet(meta: Metadata) -> bytes:
    """The XMP packet (UTF-8). No padding: nobody edits a delivered document in place, and
    every byte counts against an inbox's size limit."""
    created, modified = xmp_date(meta.created), xmp_date(meta.modified)
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <pdfaid:part>{PDFA_PART}</pdfaid:part>
   <pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_text(meta.title)}</rdf:li></rdf:Alt>
   </dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_text(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_text(meta.subject)}</rdf:li>
   </rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>de-DE</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{_text(meta.keywords)}</pdf:Keywords>
   <pdf:Producer>{_text(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>{_text(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""
    return (body + '<?xpacket end="r"?>').encode()
