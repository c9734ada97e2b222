"""What makes a kiosk PDF a PDF/A-2b: the sRGB output intent and its ICC profile."""

from __future__ import annotations

import functools
import struct

import pikepdf

OUTPUT_CONDITION = "sRGB IEC61966-2.1"
# ISO 19005-2 (6.2.3) allows ICC profiles up to ICC.1:2004-10, i.e. version 4.2.
ICC_VERSION = bytes((4, 0x20, 0, 0))


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB display profile made by LittleCMS (through Pillow), stated as version 4.2.

    Made, not shipped: 588 bytes, no licence file to carry, identical on every kiosk.
    LittleCMS writes the profile as version 4.4 (ICC.1:2022), newer than PDF/A-2 allows;
    the tags it writes for sRGB (mluc description, parametric curves, chad) are all v4.2
    tags, so only the header's version changes. The header's profile ID (an MD5 that would
    cover the version) is left zero, which means "not computed".
    """
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    if profile[36:40] != b"acsp" or profile[84:100] != bytes(16):
        raise RuntimeError("LittleCMS wrote an unexpected sRGB profile header")
    profile = profile[:8] + ICC_VERSION + profile[12:]
    (size,) = struct.unpack(">I", profile[:4])
    if size != len(profile):
        raise RuntimeError("LittleCMS wrote an sRGB profile of the wrong size")
    return profile


def add_output_intent(pdf: pikepdf.Pdf) -> None:
    """The document's colours are sRGB: DeviceRGB and DeviceGray pages mean that."""
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc.N = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION),
        Info=pikepdf.String(OUTPUT_CONDITION),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=pdf.make_indirect(icc),
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def add_metadata(pdf: pikepdf.Pdf, packet: bytes) -> None:
    """The XMP packet as the catalogue's uncompressed metadata stream."""
    stream = pikepdf.Stream(pdf, packet)
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)
