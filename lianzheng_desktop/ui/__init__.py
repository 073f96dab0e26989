"""The desktop program (PySide6). The only package that imports Qt."""

from lianzheng_desktop.ui.qt_defects import protect_none

# before any window is made: PySide6 6.12.0 on Python 3.11 loses references to None
protect_none()
