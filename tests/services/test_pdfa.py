"""The PDF/A-2b structure of the kiosk's documents, checked on the bytes it writes."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pikepdf
import pypdf
import pytest
from PIL import Image, ImageCms

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.core.records import replace
from kiosk.services.pages.imaging import EncodedPage, encode_page
from kiosk.services.pages.pdf import DocumentInfo, build_pdf
from kiosk.services.pages.pdfa import srgb_profile
from kiosk.services.pages.xmp import pdf_date

BERLIN = timezone(timedelta(hours=1))
INFO = DocumentInfo(
    'Weiterbewilligungsantrag <&> "Anlage"',  # XML's special characters survive
    "12345BG0012345",
    "renewal",
    "ws-01",
    "K7M-4QX-9TB",
    datetime(2026, 11, 21, 9, 30, 5, tzinfo=BERLIN),
)
BUILT = datetime(2026, 11, 21, 9, 31, tzinfo=UTC)
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def sheet(width: int = 400, height: int = 560) -> np.ndarray:
    """White paper with black bars: a page a case worker could read."""
    pixels = np.full((height, width), 255, np.uint8)
    for top in range(40, height - 40, 60):
        pixels[top : top + 12, 30 : width - 30 - top % 90] = 0
    return pixels


def g4_page(pixels: np.ndarray, dpi: int = 50) -> EncodedPage:
    """A raw CCITT Group 4 stream from Pillow's TIFF encoder (libtiff), as the page
    pipeline makes it. Pillow writes "1" images as min-is-black and libtiff codes 0 bits
    as white runs: the image is inverted first so that white runs are white paper, as
    /BlackIs1 false means."""
    height, width = pixels.shape
    inverted = Image.fromarray(np.where(pixels > 127, 0, 255).astype(np.uint8)).convert("1")
    out = io.BytesIO()
    inverted.save(out, "TIFF", compression="group4", tiffinfo={278: height})
    tiff = Image.open(io.BytesIO(out.getvalue()))
    (offset,), (length,) = tiff.tag_v2[273], tiff.tag_v2[279]  # one strip: the whole page
    data = out.getvalue()[offset : offset + length]
    return EncodedPage(width, height, dpi, "DeviceGray", 1, "CCITTFaxDecode", data)


def coloured(pixels: np.ndarray) -> np.ndarray:
    """The sheet with its bars in dark red."""
    return np.dstack([np.maximum(pixels, 120), pixels, pixels])


def scanned(mode: ColorMode) -> ScannedPage:
    pixels = coloured(sheet()) if mode is ColorMode.COLOR else sheet()
    return ScannedPage(400, 560, mode, 50, pixels.tobytes())


@pytest.fixture(scope="module")
def pages() -> list[EncodedPage]:
    return [
        encode_page(scanned(ColorMode.COLOR)),
        encode_page(scanned(ColorMode.GRAY)),
        encode_page(scanned(ColorMode.BW)),
        g4_page(sheet()),
    ]


@pytest.fixture(scope="module")
def document(pages: list[EncodedPage], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdfa") / "document.pdf"
    path.write_bytes(build_pdf(pages, INFO, built_at=BUILT))
    return path


def test_qpdf_finds_nothing_wrong(document: Path) -> None:
    checked = subprocess.run(
        ["qpdf", "--check", str(document)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout
    assert "WARNING" not in checked.stdout + checked.stderr


def test_header_binary_comment_and_document_id(document: Path) -> None:
    data = document.read_bytes()
    header, comment = data.split(b"\n", 2)[:2]
    assert header == b"%PDF-1.7"
    assert comment.startswith(b"%") and all(byte >= 128 for byte in comment[1:5])
    with pikepdf.open(document) as pdf:
        first, second = pdf.trailer.ID
        assert len(bytes(first)) == 16 and len(bytes(second)) == 16
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted


def xmp_of(pdf: pikepdf.Pdf) -> ET.Element:
    stream = pdf.Root.Metadata
    assert stream.Type == "/Metadata" and stream.Subtype == "/XML"
    assert "/Filter" not in stream  # readable by tools that know no PDF filters
    packet = stream.read_bytes()
    assert packet.startswith(b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    description = ET.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    found = description.find("rdf:RDF/rdf:Description", NS)
    assert found is not None
    return found


def one(description: ET.Element, path: str) -> str:
    (element,) = description.findall(path, NS)
    return element.text or ""


def test_xmp_says_pdfa_2b_and_exactly_what_the_info_dictionary_says(document: Path) -> None:
    with pikepdf.open(document) as pdf:
        info = {str(key)[1:]: str(value) for key, value in pdf.docinfo.items()}
        xmp = xmp_of(pdf)
    assert (one(xmp, "pdfaid:part"), one(xmp, "pdfaid:conformance")) == ("2", "B")
    assert info["Title"] == 'Weiterbewilligungsantrag <&> "Anlage" – 12345BG0012345'
    assert one(xmp, "dc:title/rdf:Alt/rdf:li[@xml:lang='x-default']") == info["Title"]
    assert one(xmp, "dc:creator/rdf:Seq/rdf:li") == info["Author"] == "Scan-Kiosk ws-01"
    assert one(xmp, "dc:description/rdf:Alt/rdf:li[@xml:lang='x-default']") == info["Subject"]
    assert one(xmp, "pdf:Keywords") == info["Keywords"]
    assert "Quittung: K7M-4QX-9TB" in info["Keywords"]
    assert one(xmp, "pdf:Producer") == info["Producer"]
    assert one(xmp, "xmp:CreatorTool") == info["Creator"] == "Jobcenter Scan-Kiosk"
    # the same instants, each in its own notation
    assert info["CreationDate"] == "D:20261121093005+01'00'"
    assert one(xmp, "xmp:CreateDate") == "2026-11-21T09:30:05+01:00"
    created = datetime.fromisoformat(one(xmp, "xmp:CreateDate"))
    assert pdf_date(created) == info["CreationDate"] and created == INFO.scanned_at
    modified = datetime.fromisoformat(one(xmp, "xmp:ModifyDate"))
    assert modified == BUILT and pdf_date(modified) == info["ModDate"]
    assert one(xmp, "xmp:MetadataDate") == one(xmp, "xmp:ModifyDate")


def test_pikepdf_reads_the_same_metadata(document: Path) -> None:
    with pikepdf.open(document) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["pdf:Keywords"] == str(pdf.docinfo.Keywords)


def test_srgb_output_intent_with_a_valid_icc_profile(document: Path) -> None:
    with pikepdf.open(document) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFA1"
        assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        assert intent.DestOutputProfile.N == 3
        icc = intent.DestOutputProfile.read_bytes()
    assert icc == srgb_profile()
    size, _, version, klass, space, pcs = struct.unpack(">I4s4s4s4s4s", icc[:24])
    assert size == len(icc) and icc[36:40] == b"acsp"
    assert (klass, space, pcs) == (b"mntr", b"RGB ", b"XYZ ")
    assert version == bytes((4, 0x20, 0, 0))  # 4.2: the newest ISO 19005-2 allows
    (count,) = struct.unpack(">I", icc[128:132])
    tags = [struct.unpack(">4sII", icc[132 + 12 * i : 144 + 12 * i]) for i in range(count)]
    assert all(offset + length <= size for _, offset, length in tags)
    names = {name for name, _, _ in tags}
    assert {b"desc", b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"} <= names
    # every tag is one ICC.1:2004-10 (v4.2) knows
    assert names <= set(b"desc cprt wtpt chad chrm rXYZ gXYZ bXYZ rTRC gTRC bTRC bkpt".split())
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))  # LittleCMS reads it back
    assert "sRGB" in ImageCms.getProfileDescription(profile)


def test_every_image_is_embedded_as_encoded_with_its_filter(
    document: Path, pages: list[EncodedPage]
) -> None:
    expected = [
        ("/DCTDecode", "/DeviceRGB", 8),
        ("/DCTDecode", "/DeviceGray", 8),
        ("/FlateDecode", "/DeviceGray", 1),
        ("/CCITTFaxDecode", "/DeviceGray", 1),
    ]
    with pikepdf.open(document) as pdf:
        for pdf_page, page, (filter_, space, bits) in zip(pdf.pages, pages, expected, strict=True):
            (image,) = pdf_page.get_images().values()
            found = (image.Filter, image.ColorSpace, image.BitsPerComponent)
            assert found == (filter_, space, bits)
            assert (image.Width, image.Height) == (page.width, page.height)
            assert image.read_raw_bytes() == page.data  # not re-encoded
            assert "/SMask" not in image and "/Mask" not in image and "/Interpolate" not in image
            if filter_ == "/CCITTFaxDecode":
                parms = image.DecodeParms
                assert (parms.K, parms.Columns, parms.Rows) == (-1, page.width, page.height)
                assert parms.BlackIs1 is False
            else:
                assert "/DecodeParms" not in image


def test_nothing_pdfa_forbids(document: Path) -> None:
    with pikepdf.open(document) as pdf:
        root = pdf.Root
        for key in ("/Names", "/OpenAction", "/AA", "/AcroForm", "/OCProperties"):
            assert key not in root
        for pdf_page in pdf.pages:
            assert "/Group" not in pdf_page and "/AA" not in pdf_page  # no transparency, no JS
            assert "/Annots" not in pdf_page
        raw = document.read_bytes()
    assert not re.search(rb"/(JavaScript|JS|Encrypt|EmbeddedFile|Launch)\b", raw)


def test_pypdf_reads_pages_and_metadata_back(document: Path) -> None:
    reader = pypdf.PdfReader(document)
    assert len(reader.pages) == 4
    assert reader.metadata is not None
    assert reader.metadata.title.endswith("12345BG0012345")
    assert "4 Seite(n)" in reader.metadata.subject
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title == {"x-default": reader.metadata.title}
    # 400 x 560 px at 50 dpi: 576 x 806.4 pt
    assert [round(float(p.mediabox.height), 1) for p in reader.pages] == [806.4] * 4


def test_the_g4_page_renders_as_the_paper_was(document: Path) -> None:
    with pikepdf.open(document) as pdf:
        (image,) = pdf.pages[3].get_images().values()
        back = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L"))
    assert (back == sheet()).all()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_renders_every_page_black_on_white(document: Path, tmp_path: Path) -> None:
    # An independent reader: every page looks as scanned (the colour one in gray).
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", str(document), str(tmp_path / "p")], check=True
    )
    rendered = sorted(tmp_path.glob("p-*.pgm"))
    assert len(rendered) == 4
    red = np.asarray(Image.fromarray(coloured(sheet())).convert("L"))
    for path, paper in zip(rendered, [red, sheet(), sheet(), sheet()], strict=True):
        pixels = np.asarray(Image.open(path)).astype(int)
        assert pixels.shape == paper.shape
        assert abs(pixels - paper).mean() < 4, path.name  # JPEG pages: near


def test_parts_say_which_part_they_are() -> None:
    info = replace(INFO, part=2, parts=3)
    data = build_pdf([g4_page(sheet())], info, built_at=BUILT)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        docinfo, xmp = pdf.docinfo, xmp_of(pdf)
        for key in ("Title", "Subject", "Keywords"):
            assert "Teil 2 von 3" in str(docinfo[f"/{key}"])
        assert one(xmp, "pdf:Keywords") == str(docinfo.Keywords)


def test_characters_xml_cannot_carry_are_left_out_of_both() -> None:
    info = replace(INFO, kiosk_id="ws-\x0701")
    with pikepdf.open(io.BytesIO(build_pdf([g4_page(sheet())], info, built_at=BUILT))) as pdf:
        assert str(pdf.docinfo.Author) == "Scan-Kiosk ws-01"
        assert one(xmp_of(pdf), "dc:creator/rdf:Seq/rdf:li") == "Scan-Kiosk ws-01"
