"""Sizes for the screen the window covers, and the style sheet from a theme's palette and
text sizes."""

from __future__ import annotations

from msgspec import Struct

from kiosk.services.assets import Assets
from kiosk.services.assets.theme import Fonts, Palette, Theme, load_theme

# 21.5" at 1920x1080 (the smallest common kiosk panel): 1 mm is about 4 px, so 15 mm (the
# least a finger needs) is about 60 px; a kiosk wants more where it can.
TOUCH_TARGET = 90  # px: the minimum side of every primary touch target
SCROLL_BAR = 60  # px: the handle a finger drags, 15 mm
SCREEN = (1920, 1080)
TOUCH_FLOOR = 60  # px: 15 mm, the least a target may shrink to on a smaller screen
SMALLEST_SCALE = 0.68  # type and spacing on small landscape screens (1366x768, 1280x1024)
SMALL_SCREEN_SLACK = 0.97  # small type draws a little wider and taller than its share


class Metrics(Struct, frozen=True):
    """How large things are drawn on the screen the window covers.

    The layout is made for SCREEN; on a smaller landscape screen type, spacing, pictures and
    targets shrink by ``scale`` (never a target under TOUCH_FLOOR) and what still does not fit
    reflows (``units``: the screen's width in SCREEN pixels). A portrait screen (floor-standing
    kiosk, the 1080p panel turned) keeps full size and stacks instead.
    """

    width: int = SCREEN[0]
    height: int = SCREEN[1]
    scale: float = 1.0

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def units(self) -> float:
        """The width in SCREEN pixels: what the 1920 px layout has room for."""
        return self.width / self.scale

    @property
    def touch(self) -> int:
        return max(TOUCH_FLOOR, round(TOUCH_TARGET * self.scale))

    def px(self, value: int) -> int:
        return round(value * self.scale)


def metrics_for(width: int, height: int) -> Metrics:
    if height > width:
        scale = min(1.0, width / SCREEN[1])
    else:
        scale = min(width / SCREEN[0], height / SCREEN[1])
        scale = 1.0 if scale >= 1 else scale * SMALL_SCREEN_SLACK
    return Metrics(width, height, max(SMALLEST_SCALE, round(scale, 3)))


FULL = Metrics()


# The palettes and text sizes are in assets/theme/default.toml (a site may lay its own over
# them: kiosk.services.assets.theme); these are the shipped ones.
SHIPPED: Theme = load_theme(Assets())
NORMAL = SHIPPED.normal
HIGH_CONTRAST = SHIPPED.high_contrast
PALETTES = (NORMAL, HIGH_CONTRAST)


def scaled(f: Fonts, m: Metrics) -> Fonts:
    return Fonts(*(round(size * m.scale) for size in (f.base, f.title, f.big, f.small)))


# Arabic in Naskh, the style Android shows Arabic in (Noto Naskh Arabic UI): familiar to most
# clients, and its lines are a fifth lower than Noto Sans Arabic's (44 px, not 55, at 26 px).
FAMILIES = '"Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"'


def stylesheet(p: Palette, f: Fonts, m: Metrics = FULL) -> str:
    f = scaled(f, m)
    return f"""
* {{ font-family: {FAMILIES}; font-size: {f.base}px; color: {p.text}; }}
#window, #screen {{ background: {p.background}; }}
QLabel[role="title"] {{ font-size: {f.title}px; font-weight: bold; }}
QLabel[role="big"] {{ font-size: {f.big}px; font-weight: bold; }}
QLabel[role="muted"] {{ color: {p.muted}; font-size: {f.small}px; }}
QLabel[role="number"] {{ font-size: {f.title + 8}px; font-weight: bold; }}
QLabel[role="check-number"] {{ font-size: {f.title + 32}px; font-weight: bold; }}
QFrame[role="card"] {{ background: {p.surface}; border: 2px solid {p.border};
     border-radius: 14px; }}
QFrame[role="card"] QLabel {{ background: transparent; border: none; }}
QFrame[role="notice"] {{ background: {p.notice}; border: 3px solid {p.border};
     border-radius: 14px; }}
QFrame[role="notice"] QLabel {{ color: {p.on_notice}; background: transparent; }}
QPushButton, QToolButton {{ border-radius: 14px;
     background: {p.secondary}; color: {p.on_secondary}; border: 3px solid {p.border};
     padding: {m.px(6)}px {m.px(18)}px; font-size: {f.big}px; font-weight: bold; }}
QPushButton[role="primary"], QToolButton[role="primary"] {{ background: {p.primary};
     color: {p.on_primary}; border-color: {p.primary}; }}
QPushButton[role="primary"] QLabel, QToolButton[role="primary"] QLabel {{
     color: {p.on_primary}; }}
QPushButton[role="selected"] {{ background: {p.selected}; color: {p.on_selected};
     border-color: {p.selected}; }}
QPushButton[role="tile"] {{ background: {p.surface}; text-align: left; }}
QPushButton QLabel {{ background: transparent; color: {p.on_secondary}; }}
QPushButton QLabel#button-title {{ font-size: {f.big}px; font-weight: bold; }}
QPushButton QLabel#button-title[role="huge"] {{ font-size: {f.title + 8}px; }}
QPushButton QLabel#button-title[role="small"] {{ font-size: {f.small}px; }}
QPushButton QLabel#button-title[role="medium"] {{ font-size: {f.base}px; }}
QPushButton[compact="true"] {{ padding: 4px; }}
QPushButton[language="large"] {{ font-size: {f.base}px; padding: {m.px(6)}px {m.px(6)}px; }}
QPushButton[role="tile"] {{ padding: {m.px(2)}px {m.px(6)}px; }}
QPushButton#page-thumbnail {{ text-align: center; padding: 4px; }}
QPushButton[role="primary"] QLabel#button-title {{ color: {p.on_primary}; }}
QPushButton[role="selected"] QLabel#button-title {{ color: {p.on_selected}; }}
QPushButton QLabel[role="muted"] {{ color: {p.muted}; font-weight: normal; }}
QPushButton:focus, QToolButton:focus {{ border: 6px solid {p.focus}; }}
QPushButton:disabled {{ border-style: dashed; }}
QProgressBar {{ min-height: {m.px(36)}px; border: 3px solid {p.border}; border-radius: 10px;
     background: {p.surface}; }}
QProgressBar::chunk {{ background: {p.primary}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
QScrollBar:vertical {{ width: {SCROLL_BAR + 16}px; margin: 0 0 0 16px; background: {p.background};
     border: none; }}
QScrollBar::handle:vertical {{ background: {p.primary}; min-height: 120px; border-radius: 14px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: {p.surface};
     border: 2px solid {p.border}; border-radius: 14px; }}
"""
