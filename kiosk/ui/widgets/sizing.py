"""Scaling a built screen to the window's Metrics: spacing, margins and fixed sizes.

Screens are built in SCREEN pixels (kiosk.ui.widgets.theme). ``fit_tree`` scales every
layout's margins and spacing and every fixed or minimum size below a widget by the metrics'
scale, always from the size it was built with (recorded the first time), so fitting twice or
back to full size is exact. Big buttons fit themselves (their target floor never goes under
TOUCH_FLOOR). A widget that sizes itself from the metrics (``own_size``) is left alone.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QGridLayout, QLayout, QWidget

from kiosk.ui.widgets.theme import Metrics

BASE = "_built_size"  # where a widget or layout keeps what it was built with
ICON_BASE = "_built_icon_size"
OWN_SIZE = "own_size"  # a widget that takes its size from the metrics itself
UNSET = 16_777_215  # QWIDGETSIZE_MAX: no maximum


def _scale(value: int, m: Metrics) -> int:
    return value if value in (0, UNSET) else m.px(value)


def fit_layout(layout: QLayout, m: Metrics) -> None:
    base = layout.property(BASE)
    if base is None:
        margins = layout.contentsMargins()
        spacing: tuple[int, ...]
        if isinstance(layout, QGridLayout):
            spacing = (layout.horizontalSpacing(), layout.verticalSpacing())
        else:
            spacing = (layout.spacing(),)
        base = (margins.left(), margins.top(), margins.right(), margins.bottom(), *spacing)
        layout.setProperty(BASE, base)
    left, top, right, bottom, *spacing = base
    layout.setContentsMargins(m.px(left), m.px(top), m.px(right), m.px(bottom))
    if isinstance(layout, QGridLayout):
        if spacing[0] >= 0:
            layout.setHorizontalSpacing(m.px(spacing[0]))
        if spacing[1] >= 0:
            layout.setVerticalSpacing(m.px(spacing[1]))
    elif spacing[0] >= 0:
        layout.setSpacing(m.px(spacing[0]))


def fit_widget(widget: QWidget, m: Metrics) -> None:
    if widget.property(OWN_SIZE):
        return
    base = widget.property(BASE)
    if base is None:
        low, high = widget.minimumSize(), widget.maximumSize()
        base = (low.width(), low.height(), high.width(), high.height())
        widget.setProperty(BASE, base)
    if base == (0, 0, UNSET, UNSET):
        return
    low_w, low_h, high_w, high_h = (_scale(value, m) for value in base)
    widget.setMinimumSize(low_w, low_h)
    widget.setMaximumSize(high_w, high_h)
    if isinstance(widget, QAbstractButton):  # its picture shrinks with it (page thumbnails)
        icon = widget.property(ICON_BASE)
        if icon is None:
            size = widget.iconSize()
            icon = (size.width(), size.height())
            widget.setProperty(ICON_BASE, icon)
        widget.setIconSize(QSize(m.px(icon[0]), m.px(icon[1])))


@runtime_checkable
class FitsItself(Protocol):
    """A widget that fits itself to the metrics (a big button: its floor, icon, width)."""

    def fit(self, m: Metrics) -> None: ...


def fit_tree(root: QWidget, m: Metrics) -> None:
    """Everything below ``root`` (and its own layout) at the metrics' scale."""
    own = root.layout()
    for layout in ([own] if own is not None else []) + root.findChildren(QLayout):
        fit_layout(layout, m)
    for widget in root.findChildren(QWidget):
        if isinstance(widget, FitsItself):
            widget.fit(m)
        else:
            fit_widget(widget, m)
