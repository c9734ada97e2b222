"""Shipped assets and a site's own (logo, pictograms, theme, sound): found, laid over the
shipped ones, and refused by `kiosk config check` (exit 4, file and key and line) where
they would make the kiosk unreadable or cannot be drawn."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import wave
import zlib
from pathlib import Path

import pytest

from kiosk.services.assets import LOGOS, THEME, WARNING_SOUND, Assets
from kiosk.services.assets.site import MAX_LOGO, site_problems
from kiosk.services.assets.theme import contrast, load_theme
from kiosk.services.config import load_config
from kiosk.services.tomlfile import InvalidFile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "site-example"


def site(tmp_path: Path) -> Path:
    directory = tmp_path / "assets"
    (directory / "theme").mkdir(parents=True)
    (directory / "pictograms").mkdir()
    (directory / "sounds").mkdir()
    return directory


def config_with(tmp_path: Path, assets: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\nid = "site-01"\nname = "Jobcenter Testhausen"\nassets_dir = "{assets}"\n'
    )
    return path


def problems(err: InvalidFile) -> list[tuple[str, str]]:
    return [(bad.path.name, str(p)) for bad in err.each() for p in bad.problems]


def png(width: int, height: int) -> bytes:
    """A real (tiny-bodied) PNG of that size: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * min(height, 4))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_the_shipped_assets_are_whole() -> None:
    assets = Assets()
    assert assets.shipped == ROOT / "assets"
    names = assets.pictogram_names()
    assert {"send", "check", "feeder", "sick", "other"} <= names and len(names) >= 40
    assert assets.mirrored() == {"back", "forward", "send", "undo"} and assets.mirrored() <= names
    assert site_problems(Assets(site=assets.shipped)) == []  # the shipped files keep every rule
    with wave.open(str(assets.find(WARNING_SOUND)), "rb") as wav:
        assert 0.2 < wav.getnframes() / wav.getframerate() < 1.0
    theme = load_theme(assets)
    assert theme.normal.primary == "#0b4f8a" and theme.fonts(True).base == 40


def test_a_site_file_replaces_the_shipped_one_of_the_same_name(tmp_path: Path) -> None:
    directory = site(tmp_path)
    shutil.copy(EXAMPLE / "pictograms" / "send.svg", directory / "pictograms" / "send.svg")
    assets = Assets(site=directory)
    assert assets.pictogram("send") == directory / "pictograms" / "send.svg"
    assert assets.pictogram("check") == Assets().pictogram("check")  # not overridden
    assert assets.logo() is None
    (directory / "logo.png").write_bytes(png(300, 100))
    assert assets.logo() == directory / "logo.png"
    shutil.copy(EXAMPLE / "logo.svg", directory / "logo.svg")
    assert assets.logo() == directory / "logo.svg"  # LOGOS: an SVG first
    assert LOGOS[0] == "logo.svg"


def test_a_site_theme_is_laid_over_the_shipped_one_key_by_key(tmp_path: Path) -> None:
    directory = site(tmp_path)
    (directory / THEME).write_text(
        '[palette.normal]\nprimary = "#1d6b3a"\n[text.large]\nbase = 38\n'
    )
    theme = load_theme(Assets(site=directory))
    shipped = load_theme(Assets())
    assert theme.normal.primary == "#1d6b3a" and theme.normal.text == shipped.normal.text
    assert theme.high_contrast == shipped.high_contrast
    assert theme.large_text.base == 38 and theme.large_text.title == shipped.large_text.title
    assert theme.text == shipped.text


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        # white on light green: 2.2:1
        (
            '[palette.normal]\nprimary = "#7fbf7f"\n',
            "line 2: palette.normal.primary: primary button: #ffffff on #7fbf7f has a contrast"
            " of 2.2:1, at least 4.5:1 is needed",
        ),
        # the site's text colour on the shipped background
        (
            '# grey text\n[palette.normal]\ntext = "#9aa0a6"\n',
            "line 3: palette.normal.text: text on background",
        ),
        # high contrast keeps 7:1, not 4.5:1
        (
            '[palette.high_contrast]\non_primary = "#555555"\n',
            "palette.high_contrast.on_primary: primary button: #555555 on #ffd60a",
        ),
        # a focus ring that cannot be seen
        ('[palette.normal]\nfocus = "#e8eaed"\n', "palette.normal.focus: focus ring on background"),
        (
            '[palette.normal]\nprimary = "green"\n',
            "line 2: palette.normal.primary: must be a colour written #rrggbb",
        ),
        ('[palette.normal]\nprimry = "#000000"\n', "line 2: palette.normal.primry: unknown key"),
        ("[text.normal]\nbase = 8\n", "line 2: text.normal.base: must be"),
        (
            "[text.large]\ntitle = 30\n",
            "line 2: text.large.title: large text (30 px) must be larger than normal (40 px)",
        ),
        ("[palette.normal\n", "(syntax)"),
    ],
)
def test_a_site_theme_that_would_make_the_kiosk_unreadable_is_refused(
    tmp_path: Path, toml: str, expected: str
) -> None:
    directory = site(tmp_path)
    (directory / THEME).write_text(toml)
    with pytest.raises(InvalidFile) as caught:
        load_theme(Assets(site=directory))
    assert caught.value.path == directory / THEME
    assert any(expected in text for _, text in problems(caught.value)), problems(caught.value)


def test_the_example_site_keeps_the_rules() -> None:
    config = load_config(EXAMPLE / "kiosk.toml")
    assert config.site_name == "Jobcenter Musterstadt" and config.assets_dir == EXAMPLE
    theme = load_theme(Assets(site=config.assets_dir))
    assert contrast(theme.normal.on_primary, theme.normal.primary) >= 4.5


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "pictograms/send.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>",
            "not a readable SVG file",
        ),
        ("pictograms/send.svg", b"<html><body/></html>", "root must be <svg"),
        ("pictograms/send.svg", b"", "not a readable SVG file"),
        (  # well-formed to its root's end, then not: refused, as ElementTree refused it
            "pictograms/send.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'/><svg/>",
            "not a readable SVG file",
        ),
        (  # an <svg> of another namespace is not an SVG picture
            "pictograms/send.svg",
            b"<svg xmlns='http://example.org/svg' viewBox='0 0 100 100'/>",
            "root must be <svg",
        ),
        ("pictograms/send.svg", b"<svg viewBox='0 0 100 100'/>", "root must be <svg"),
        ("pictograms/send.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "has no viewBox"),
        (
            "pictograms/rocket.svg",
            (ROOT / "assets/pictograms/send.svg").read_bytes(),
            "not a pictogram the kiosk draws",
        ),
        (
            "pictograms/pictograms.toml",
            b'mirrored_in_rtl = ["forward", "rocket"]\n',
            "unknown pictograms: rocket",
        ),
        ("logo.png", png(8000, 200), "8000x200 px: at most 4096 px a side"),
        ("logo.png", b"GIF89a" + b"\x00" * 40, "not a PNG image"),
        (
            "logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'>"
            + b" " * MAX_LOGO
            + b"</svg>",
            f"at most {MAX_LOGO} bytes",
        ),
        ("sounds/warning.wav", b"RIFF....not a wave", "not a readable WAV file"),
    ],
)
def test_a_broken_site_file_is_a_configuration_problem_naming_the_file(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    directory = site(tmp_path)
    (directory / name).write_bytes(content)
    with pytest.raises(InvalidFile) as caught:
        load_config(config_with(tmp_path, directory))
    found = problems(caught.value)
    assert [text for file, text in found if file == Path(name).name and expected in text], found


def test_a_long_sound_is_refused(tmp_path: Path) -> None:
    directory = site(tmp_path)
    with wave.open(str(directory / WARNING_SOUND), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x00\x00" * 8000 * 5)
    assert [str(p) for bad in site_problems(Assets(site=directory)) for p in bad.problems] == [
        "(file): 5.0 s long: a warning sound is at most 3 s"
    ]


def test_an_assets_dir_that_is_not_there_is_named_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        load_config(config_with(tmp_path, tmp_path / "missing"))
    assert problems(caught.value) == [
        ("kiosk.toml", f"line 4: kiosk.assets_dir: {tmp_path / 'missing'} is not a directory")
    ]


def test_kiosk_config_check_refuses_a_weak_palette_with_file_key_and_line(tmp_path: Path) -> None:
    directory = site(tmp_path)
    (directory / THEME).write_text('[palette.normal]\nbackground = "#ffffff"\nmuted = "#b0b0b0"\n')
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "config",
            "check",
            str(config_with(tmp_path, directory)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert f"configuration problem in {directory / THEME}:" in done.stderr
    assert "line 3: palette.normal.muted: muted on surface: #b0b0b0 on #ffffff" in done.stderr
    assert "Traceback" not in done.stderr
