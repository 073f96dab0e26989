"""Every window and dialog inside the screen's free area.

Office PCs have 1366×768 screens with a 40-pixel taskbar: a window taller than the rest
hides its status bar ("已保存 14:32:05") and a dialog its 是/否 buttons. ``ScreenFit``,
installed on the application, looks at every top-level window as it is shown and
shrinks and moves it into ``QScreen.availableGeometry()``, leaving room for the frame
the window manager adds. Dialogs with long contents scroll inside (ui/ask.py); this is
the net under everything else, standard dialogs included.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

# Room for a frame the window manager has not drawn yet (title bar and borders); once a
# window is shown its real frame is used.
FRAME = QSize(16, 40)


def available(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_extra(widget: QWidget) -> QSize:
    """How much the frame adds to the window's own size (guessed before it is shown)."""
    outer, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and outer != inner:
        return QSize(outer.width() - inner.width(), outer.height() - inner.height())
    return FRAME


def fit(widget: QWidget, preferred: QSize | None = None) -> None:
    """Size the window to ``preferred`` (or as it is) but no larger than the free area,
    and move it so that all of it, frame included, is inside."""
    area = available(widget)
    extra = frame_extra(widget)
    want = preferred or widget.size()
    limit = QSize(area.width() - extra.width(), area.height() - extra.height())
    size = want.boundedTo(limit).expandedTo(widget.minimumSize())
    if size != widget.size():
        widget.resize(size)
    outer = QRect(widget.frameGeometry().topLeft(), QSize(size.width() + extra.width(),
                                                          size.height() + extra.height()))
    x = min(max(outer.left(), area.left()), area.right() + 1 - outer.width())
    y = min(max(outer.top(), area.top()), area.bottom() + 1 - outer.height())
    if (x, y) != (outer.left(), outer.top()):
        widget.move(max(x, area.left()), max(y, area.top()))


def fits(widget: QWidget) -> bool:
    """The whole window, frame included, is inside the free area of its screen."""
    return available(widget).contains(widget.frameGeometry())


class ScreenFit(QObject):
    """Installed on the application: every top-level window is fitted when shown."""

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow() \
                and obj.windowType() in WINDOW_TYPES and not obj.isMaximized() and not obj.isFullScreen():
            fit(obj)
        return False


# windows and dialogs; not menus, completer pop-ups, tooltips
WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog)


def install(app: QApplication) -> ScreenFit:
    fitter = ScreenFit(app)
    app.installEventFilter(fitter)
    return fitter
