"""Look at an exported Word file beside the program's own PDF.

    python scripts/word_vs_pdf.py [FILE.json …] [--demo] -o FOLDER/
                                  (--demo, or no files: the demo unit's form and three post forms)

For each form: the .docx the program writes, that .docx printed to PDF by LibreOffice
(``soffice --headless --convert-to pdf``), the program's PDF, and one PNG per form with
LibreOffice's pages above the program's (pdftoppm, ImageMagick). LibreOffice is given the
bundled fonts under the names Word and WPS use on a Chinese Windows PC (宋体/SimSun → AR PL
UMing CN, 黑体/SimHei → WenQuanYi Zen Hei) through a private fontconfig file, so the
comparison shows the table, not a missing font. Prints the page counts; exits 1 when a
form has more pages in Word than in the PDF.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lianzheng_desktop.domain.naming import file_stem  # noqa: E402
from lianzheng_desktop.paths import resources_dir  # noqa: E402

ALIASES = {"宋体": "AR PL UMing CN", "SimSun": "AR PL UMing CN", "黑体": "WenQuanYi Zen Hei",
           "SimHei": "WenQuanYi Zen Hei"}


def fontconfig(folder: Path) -> Path:
    aliases = "".join(f'<alias binding="same"><family>{name}</family><prefer><family>{face}</family></prefer></alias>'
                      for name, face in ALIASES.items())
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{resources_dir() / "fonts"}</dir><cachedir>{folder / "cache"}</cachedir>'
                    f"{aliases}</fontconfig>", encoding="utf-8")
    return path


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def compare(forms, out: Path) -> list[tuple[str, int, int]]:
    from lianzheng_desktop.exchange.docx import write_docx
    from lianzheng_desktop.render import render_forms

    out.mkdir(parents=True, exist_ok=True)
    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(Path(tmp))))
        docs = []
        for form in forms:
            stem = file_stem(form)
            (out / f"{stem}.docx").write_bytes(write_docx(form))
            (out / f"{stem}.程序.pdf").write_bytes(render_forms([form]))
            docs.append(out / f"{stem}.docx")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, *map(str, docs)],
                       env=env, check=True, capture_output=True, timeout=600)
        for form, doc in zip(forms, docs, strict=True):
            stem = doc.stem
            word_pdf = out / f"{stem}.Word.pdf"
            os.replace(Path(tmp) / f"{stem}.pdf", word_pdf)
            ours = out / f"{stem}.程序.pdf"
            rows = []
            for pdf, tag in ((word_pdf, "word"), (ours, "ours")):
                prefix = Path(tmp) / f"{tag}-{form.id}"
                subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
                row = Path(tmp) / f"{tag}-{form.id}-row.png"
                subprocess.run(["convert", *sorted(map(str, Path(tmp).glob(f"{prefix.name}-*.png"))), "+append",
                                str(row)], check=True)
                rows.append(str(row))
            subprocess.run(["convert", *rows, "-append", str(out / f"{stem}.对照.png")], check=True)
            counts.append((stem, pages(word_pdf), pages(ours)))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    from lianzheng_desktop.exchange.formfile import read_forms_file

    forms = [f for path in args.files for f in read_forms_file(path).forms]
    if args.demo or not forms:
        from lianzheng_desktop.domain.demo import demo_forms

        forms += demo_forms("演示单位", year=2026, posts=3)
    worse = 0
    for stem, word, ours in compare(forms, args.output):
        worse += word > ours
        print(f"{stem}: Word（LibreOffice）{word} 页，程序的 PDF {ours} 页" + ("  ← 多了" if word > ours else ""))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
