"""The QR code in each page's footer: reportlab's encoder, without its barcode widgets.

``reportlab.graphics.barcode``'s package import loads every barcode widget (and with them
reportlab's whole graphics library, ~0.1 s) although only the encoder module is needed,
and that module imports nothing of reportlab. So the encoder is loaded on its own.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from functools import cache, lru_cache

_ENCODER = "reportlab.graphics.barcode.qrencoder"


@cache
def _encoder():
    if _ENCODER in sys.modules:
        return sys.modules[_ENCODER]
    try:
        import reportlab.graphics  # a small package module; its barcode package is the slow one

        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(_ENCODER, [p + "/barcode" for p in reportlab.graphics.__path__]) if find else None
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                sys.modules[_ENCODER] = module
                return module
    except Exception:  # an unusual installation: the ordinary import below still works
        pass
    from reportlab.graphics.barcode import qrencoder

    return qrencoder


@lru_cache(maxsize=256)
def qr_matrix(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark modules of the QR code for ``text`` (error correction level M), row by row.

    Encoded with a fixed mask pattern: any of the eight masks decodes the same, and
    trying all eight (what reportlab's widget does) made the QR code the slowest part of
    printing a year's forms. Upper-case letters, digits and ``-:`` are encoded in the
    alphanumeric mode, which makes a smaller code than the same text in lower case.
    """
    encoder = _encoder()
    qr = encoder.QRCode(None, encoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


def dark_runs(matrix) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                runs.append((r, c, length))
            c += length
    return runs
