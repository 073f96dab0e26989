"""Run with LIANZHENG_FORMS pointing at a modified copy of forms/ (see test_forms_data.py):
uses every layer on a form of the new kind and the new post field, prints what it saw as
JSON. Separate process, so that every cache of forms/ is loaded from the copy."""

import io
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import load_workbook
from pypdf import PdfReader

from lianzheng_desktop.domain.codec import form_from_json, form_to_json
from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.validation import validate
from lianzheng_desktop.domain.verification import verification_code
from lianzheng_desktop.exchange.package import build_package, read_package
from lianzheng_desktop.exchange.summary import write_summary
from lianzheng_desktop.render import render_form
from lianzheng_desktop.store import open_session


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def main() -> None:
    objects = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    forms = []
    out: dict = {"kinds": list(definitions().kind_keys)}
    for obj in objects:
        form, problems = form_from_json(obj)
        forms.append(form)
        out.setdefault("read_errors", []).extend(p.message for p in problems if p.is_error)
        out.setdefault("validation_errors", []).extend(p.message for p in validate(form) if p.is_error)
        out.setdefault("json", []).append(form_to_json(form))
        out.setdefault("codes", []).append(verification_code(form))
        out.setdefault("pdf", []).append(pdf_text(render_form(form)))
    if sys.argv[2:] == ["--codes"]:
        print(json.dumps(out, ensure_ascii=False))
        return
    package = read_package(build_package(forms))
    out["package_kinds"] = [f.kind for f in package.forms]
    out["package_counts"] = package.manifest["counts"]
    out["package_same"] = [form_to_json(f) for f in package.forms] == out["json"]
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "s.xlsx"
        write_summary(forms, xlsx, forms[0].year)
        book = load_workbook(xlsx)
        out["sheets"] = {name: [[c.value for c in row] for row in book[name].iter_rows(max_row=3)]
                         for name in book.sheetnames if name not in ("风险点", "统计")}
        # the desktop editor: a window with a "new" action per kind, an editor with a widget per field
        from lianzheng_desktop.ui.app import create_app
        from lianzheng_desktop.ui.mainwindow import MainWindow

        app = create_app()
        session = open_session(Path(tmp) / "lz.db")
        session.store.save_all(forms)
        window = MainWindow(session)
        out["new_actions"] = {k: a.text() for k, a in window.act_new.items()}
        out["navigator"] = [e.title for e in window.navigator.model.entries]
        editors = {}
        for form in forms:
            editor = window.open_form(form.id)
            editors[form.kind] = sorted(editor._fields)
        out["editor_fields"] = editors
        window.close()
        session.close()
        app.processEvents()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
