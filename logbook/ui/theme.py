"""The look of the app: light, dark and high-contrast palettes, one restrained accent, crisp SVG
icons.

The app uses the Fusion style everywhere so it looks the same on every platform, with our own
palettes. "Follow the system" reads the platform's colour scheme and switches when it changes.
Monochrome icons are drawn in the palette's text colour at whatever size and device pixel ratio
they are painted at, so they stay sharp at high DPI and readable in dark mode.

Every text colour reaches WCAG's 4.5:1 on the backgrounds it is drawn on (7:1 in high
contrast), and check boxes, radio buttons and focus rings 3:1 (tests/test_theme_contrast.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QProxyStyle, QStyle

from logbook.resources import resource_path

ThemeName = Literal["system", "light", "dark", "high_contrast"]
THEMES: tuple[ThemeName, ...] = ("system", "light", "dark", "high_contrast")
THEME_LABELS = {
    "system": "Follow the system",
    "light": "Light",
    "dark": "Dark",
    "high_contrast": "High contrast",
}

# The colour the monochrome icon files are drawn in; replaced by the palette's colour.
_ICON_INK = b"#202124"


@dataclass(frozen=True)
class Colours:
    """The colours of one appearance; the stylesheet and the charts read them too."""

    dark: bool
    window: str
    base: str
    alternate: str
    surface: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    accent_soft: str
    button: str
    warning: str
    danger: str
    success: str
    soft_text: str = ""  # text on ``accent_soft`` (the selected section, badges)
    focus: str = ""  # the ring around what has the keyboard focus
    focus_width: int = 2
    high_contrast: bool = False

    def __post_init__(self) -> None:
        if not self.soft_text:
            object.__setattr__(self, "soft_text", self.text)
        if not self.focus:
            object.__setattr__(self, "focus", self.accent)


LIGHT = Colours(
    dark=False,
    window="#f3f5f7",
    base="#ffffff",
    alternate="#f7f9fa",
    surface="#ffffff",
    border="#d9dee3",
    text="#1f2328",
    muted="#5f6b76",
    accent="#1f7a8c",
    accent_text="#ffffff",
    accent_soft="#dcecef",
    button="#f7f8f9",
    warning="#8a5a00",
    danger="#b42318",
    success="#176b30",
)

DARK = Colours(
    dark=True,
    window="#1c1f24",
    base="#15171b",
    alternate="#1a1d21",
    surface="#22262c",
    border="#353b43",
    text="#e4e7eb",
    muted="#9aa4ae",
    accent="#4fb3c5",
    accent_text="#0d1f23",
    accent_soft="#1f3a40",
    button="#2a2f36",
    warning="#d9a23a",
    danger="#f07167",
    success="#57c27a",
)

# Black and white, with yellow for the selection, links and a thick focus ring; no greys below
# 7:1 (the usual high-contrast scheme of Windows and GNOME).
HIGH_CONTRAST = Colours(
    dark=True,
    window="#000000",
    base="#000000",
    alternate="#161616",
    surface="#000000",
    border="#ffffff",
    text="#ffffff",
    muted="#e8e8e8",
    accent="#ffe14d",
    accent_text="#000000",
    accent_soft="#ffe14d",
    button="#000000",
    warning="#ffc266",
    danger="#ff9c94",
    success="#7cf08c",
    soft_text="#000000",
    focus="#ffe14d",
    focus_width=3,
    high_contrast=True,
)
# What disabled text looks like in high contrast: distinct from white, still 7:1 on black.
HIGH_CONTRAST_DISABLED = "#b0b0b0"


def system_prefers_dark() -> bool:
    """Whether the platform asks for a dark appearance (False when it cannot tell)."""
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def colours_for(theme: ThemeName) -> Colours:
    """The colours of the theme the user chose ("system" follows the platform's light or dark)."""
    if theme == "high_contrast":
        return HIGH_CONTRAST
    if theme == "dark" or (theme == "system" and system_prefers_dark()):
        return DARK
    return LIGHT


_current: Colours = LIGHT


PE = QStyle.PrimitiveElement
CC = QStyle.ComplexControl


class OutlinedIndicators(QProxyStyle):
    """Fusion, with the outlines a user must see drawn in colours that stand out.

    - Check boxes and radio buttons are outlined in the muted text colour: Fusion outlines
      them in a darker shade of the window, which all but vanishes on a dark one.
    - Keyboard focus is a solid ring in the focus colour (Fusion's is a faint tint).
    - In high contrast, buttons, fields and frames get a white outline too: Fusion draws them
      in a darker shade of the window, which on black is black.
    """

    _INDICATORS = (
        PE.PE_IndicatorCheckBox,
        PE.PE_IndicatorRadioButton,
        PE.PE_IndicatorItemViewItemCheck,
    )
    _FRAMED = (PE.PE_PanelButtonCommand, PE.PE_FrameLineEdit, PE.PE_Frame, PE.PE_FrameGroupBox)
    _FRAMED_CONTROLS = (CC.CC_ComboBox, CC.CC_SpinBox)

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        colours = current()
        if element == PE.PE_FrameFocusRect:
            if _keyboard_focus(option) or colours.high_contrast:
                # Around an item of a list, a thin ring: a thick one would hide its neighbours.
                thin = widget is not None and isinstance(widget, QAbstractItemView)
                width = 1 if thin else colours.focus_width
                # Just outside the text it surrounds, not over its first and last letters.
                spare = width - 1
                _ring(
                    painter,
                    option.rect.adjusted(-spare, -spare, spare, spare),
                    colours.focus,
                    width,
                )
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in self._INDICATORS:
            outline = colours.text if colours.high_contrast else colours.muted
            _outline(painter, option.rect, outline, element == PE.PE_IndicatorRadioButton)
        elif element in self._FRAMED:
            self._frame(option, painter, focusable=element != PE.PE_Frame)

    def styleHint(
        self, hint: Any, option: Any = None, widget: Any = None, returnData: Any = None
    ) -> int:
        # The stock OK and Cancel icons are drawn dark, unseen on black: words alone there.
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons and current().high_contrast:
            return 0
        return int(super().styleHint(hint, option, widget, returnData))

    def drawComplexControl(
        self, control: Any, option: Any, painter: Any, widget: Any = None
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in self._FRAMED_CONTROLS:
            self._frame(option, painter, focusable=True)
        elif control == CC.CC_ScrollBar and current().high_contrast:
            # Fusion's handle is a shade of the window: on black, a solid light one instead.
            handle = self.subControlRect(
                control, option, QStyle.SubControl.SC_ScrollBarSlider, widget
            )
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(current().muted))
            painter.drawRoundedRect(QRectF(handle).adjusted(2, 2, -2, -2), 3, 3)
            painter.restore()

    def _frame(self, option: Any, painter: Any, *, focusable: bool) -> None:
        colours = current()
        focused = focusable and bool(option.state & QStyle.StateFlag.State_HasFocus)
        if focused and (_keyboard_focus(option) or colours.high_contrast):
            _ring(painter, option.rect, colours.focus, colours.focus_width)
        elif colours.high_contrast and option.rect.height() > 4:
            _ring(painter, option.rect, colours.border, 1)


def _keyboard_focus(option: Any) -> bool:
    """Focus that came from the keyboard (Tab, a shortcut): where a ring helps."""
    state = option.state
    return bool(
        state & QStyle.StateFlag.State_HasFocus
        and state & QStyle.StateFlag.State_KeyboardFocusChange
    )


def _ring(painter: QPainter, rect: QRect, colour: str, width: int) -> None:
    """A ring of ``width`` pixels just inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colour), width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = width / 2
    painter.drawRoundedRect(QRectF(rect).adjusted(inset, inset, -inset, -inset), 3, 3)
    painter.restore()


def _outline(painter: QPainter, rect: QRect, colour: str, round_: bool) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colour), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if round_:
        painter.drawEllipse(box)
    else:
        painter.drawRoundedRect(box, 2, 2)
    painter.restore()


def current() -> Colours:
    """The colours in use now (light until a theme is applied)."""
    return _current


def apply_theme(app: QApplication, theme: ThemeName) -> Colours:
    """Give the whole application the palette and stylesheet of ``theme``.

    Returns:
        The colours applied, so callers can redraw what they paint themselves.
    """
    global _current
    colours = colours_for(theme)
    _current = colours
    app.setStyle(OutlinedIndicators())
    app.setPalette(build_palette(colours))
    app.setStyleSheet(stylesheet(colours))
    icon.cache_clear()
    return colours


def build_palette(c: Colours) -> QPalette:
    """The Qt palette of the colours ``c``, with disabled text and the selection in a window in
    the background readable too."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alternate,
        QPalette.ColorRole.ToolTipBase: c.surface,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.button,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.BrightText: c.danger,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.accent_text,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.LinkVisited: c.accent,
        QPalette.ColorRole.Light: "#ffffff" if not c.dark else "#3a4048",
        QPalette.ColorRole.Midlight: c.border,
        QPalette.ColorRole.Mid: c.border,
        QPalette.ColorRole.Dark: "#aab2bb" if not c.dark else "#0f1114",
        QPalette.ColorRole.Shadow: "#00000040",
    }
    if c.high_contrast:
        roles[QPalette.ColorRole.Light] = roles[QPalette.ColorRole.Dark] = c.border
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    if c.high_contrast:
        disabled = QColor(HIGH_CONTRAST_DISABLED)
    else:
        disabled = QColor(c.muted)
        disabled.setAlpha(170)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    # The selection of a window in the background: the soft accent, under text still readable
    # (a faded accent under white text was not).
    if not c.high_contrast:
        inactive = QPalette.ColorGroup.Inactive
        palette.setColor(inactive, QPalette.ColorRole.Highlight, QColor(c.accent_soft))
        palette.setColor(inactive, QPalette.ColorRole.HighlightedText, QColor(c.soft_text))
    return palette


def stylesheet(c: Colours) -> str:
    """Styles for the few widgets that are ours alone (named by object name).

    Standard widgets keep Fusion's drawing with our palette, which stays correct at any DPI.
    """
    return f"""
QFrame#sidebarPane {{
    background: {c.surface};
    border: none;
    border-right: 1px solid {c.border};
}}
QListWidget#sidebar {{
    background: transparent;
    border: none;
    padding: 10px 8px;
    outline: none;
}}
QListWidget#sidebar::item {{
    padding: {7 - c.focus_width}px {10 - c.focus_width}px;
    border: {c.focus_width}px solid transparent;
    margin: 1px 0;
    border-radius: 6px;
    color: {c.text};
}}
QListWidget#sidebar::item:hover {{ background: {c.alternate}; }}
QListWidget#sidebar::item:selected {{
    background: {c.accent_soft};
    color: {c.soft_text};
    font-weight: 600;
}}
QListWidget#sidebar::item:focus {{ border-color: {c.focus}; }}
QLabel#pageTitle {{ font-size: 17pt; font-weight: 600; color: {c.text}; }}
QLabel#pageSubtitle, QLabel#muted {{ color: {c.muted}; }}
QLabel#totals {{ color: {c.muted}; padding: 2px 2px; }}
QLabel#sectionTitle {{ font-size: 11pt; font-weight: 600; color: {c.text}; }}
QLabel#statValue {{ font-size: 20pt; font-weight: 600; color: {c.text}; }}
QLabel#statLabel {{ color: {c.muted}; }}
QLabel#badge {{
    border-radius: 9px; padding: 2px 9px; font-weight: 600;
    background: {c.accent_soft}; color: {c.soft_text};
}}
QLabel#badgeWarning {{
    border-radius: 9px; padding: 2px 9px; font-weight: 600;
    background: {_mix(c.warning, c.surface, 0.18)}; color: {c.warning};
}}
QLabel#badgeSuccess {{
    border-radius: 9px; padding: 2px 9px; font-weight: 600;
    background: {_mix(c.success, c.surface, 0.16)}; color: {c.success};
}}
QFrame#card {{
    background: {c.surface};
    border: 1px solid {c.border};
    border-radius: 10px;
}}
QFrame#filterBar {{
    background: {c.surface};
    border: 1px solid {c.border};
    border-radius: 8px;
}}
QToolBar {{ border: none; spacing: 2px; padding: 3px 6px; }}
QToolBar::separator {{ width: 1px; margin: 4px 6px; background: {c.border}; }}
QStatusBar {{ color: {c.muted}; }}
QStatusBar::item {{ border: none; }}
QTableView {{ gridline-color: {c.border}; }}
QHeaderView::section {{
    background: {c.window};
    color: {c.muted};
    border: none;
    border-bottom: 1px solid {c.border};
    border-right: 1px solid {c.border};
    padding: 5px 8px;
    font-weight: 600;
}}
QTabWidget::pane {{ border: none; }}
QPushButton#segment {{
    background: {c.button}; color: {c.muted};
    border: 1px solid {c.border}; padding: 3px 12px;
}}
QPushButton#segment:checked {{
    background: {c.accent_soft}; color: {c.soft_text}; border-color: {c.accent}; font-weight: 600;
}}
QPushButton#segment:focus {{ border: {c.focus_width}px solid {c.focus}; }}
QPushButton#primary {{
    background: {c.accent}; color: {c.accent_text};
    border: 1px solid {c.accent}; border-radius: 5px; padding: 5px 14px; font-weight: 600;
}}
QPushButton#primary:hover {{ background: {_mix(c.accent, c.text, 0.85)}; }}
QPushButton#primary:focus {{ border: 2px solid {c.text}; }}
QPushButton#primary:disabled {{
    background: {c.button}; color: {c.muted}; border-color: {c.border};
}}
""" + (_high_contrast_rules(c) if c.high_contrast else "")


def _high_contrast_rules(c: Colours) -> str:
    """What Fusion draws in shades of the window (invisible on black), drawn in white."""
    return f"""
QPushButton#segment {{ color: {c.text}; border: 1px solid {c.border}; }}
QPushButton#primary {{ border: 2px solid {c.border}; }}
QPushButton#primary:focus {{ border: {c.focus_width}px solid {c.text}; }}
QListWidget#sidebar::item:hover {{ border-color: {c.border}; }}
QListWidget#sidebar::item:selected:focus {{ border-color: {c.text}; }}
QTabBar::tab {{
    color: {c.text}; background: {c.window}; border: 1px solid {c.border};
    padding: 5px 12px; margin-right: 2px;
}}
QTabBar::tab:selected {{ background: {c.accent}; color: {c.accent_text}; font-weight: 600; }}
QTabBar::tab:focus {{ border: {c.focus_width}px solid {c.focus}; }}
QToolTip {{ color: {c.text}; background: {c.window}; border: 1px solid {c.border}; }}
QMenu {{ border: 1px solid {c.border}; }}
QMenu::separator {{ height: 1px; background: {c.border}; margin: 4px 6px; }}
QToolBar::separator {{ background: {c.border}; }}
"""


def _mix(colour: str, other: str, share: float) -> str:
    """``colour`` blended over ``other`` at ``share`` opacity, as a hex colour."""
    a, b = QColor(colour), QColor(other)
    blend = QColor(
        round(a.red() * share + b.red() * (1 - share)),
        round(a.green() * share + b.green() * (1 - share)),
        round(a.blue() * share + b.blue() * (1 - share)),
    )
    return str(blend.name())


# --- icons -------------------------------------------------------------------------------------


class _SvgIconEngine(QIconEngine):
    """Draws a monochrome SVG in the palette's colours at the exact size asked for."""

    def __init__(self, svg: bytes, colours: Colours) -> None:
        super().__init__()
        self._svg = svg
        self._colours = colours
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        if mode == QIcon.Mode.Disabled:
            ink = HIGH_CONTRAST_DISABLED if self._colours.high_contrast else self._colours.muted
        elif mode == QIcon.Mode.Selected:
            ink = self._colours.soft_text
        else:
            ink = self._colours.text
        if ink not in self._renderers:
            data = self._svg.replace(_ICON_INK, ink.encode())
            self._renderers[ink] = QSvgRenderer(QByteArray(data))
        return self._renderers[ink]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        renderer = self._renderer(mode)
        if mode == QIcon.Mode.Disabled:
            painter.save()
            painter.setOpacity(0.55)
            renderer.render(painter, rect)
            painter.restore()
        else:
            renderer.render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        device = QSize(round(size.width() * scale), round(size.height() * scale))
        pixmap = self.pixmap(device, mode, state)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svg, self._colours)


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the current theme's colours."""
    path = resource_path("icons", f"{name}.svg")
    try:
        svg = path.read_bytes()
    except OSError:
        return QIcon()
    if _ICON_INK not in svg:
        return QIcon(str(path))
    return QIcon(_SvgIconEngine(svg, _current))


def app_icon() -> QIcon:
    """The application's own (coloured) icon."""
    path = resource_path("icons", "logbook.svg")
    result = QIcon()
    renderer = QSvgRenderer(str(path))
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def set_density(app: QApplication) -> None:
    """A readable default font size for the whole app (Fusion's default is small on Linux)."""
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)


Appearance = Literal["light", "dark", "high_contrast"]
