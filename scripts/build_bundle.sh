#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it (Linux; see docs/windows.md).
#
#   bash scripts/build_bundle.sh        → dist/lianzheng/  (lianzheng, lianzheng-cli)
#
# Uses the virtual environment in $VENV (default .venv, created if missing), installs the
# program with its "bundle" extra, builds, then runs the bundled executables: blank forms,
# an example form to PDF; the committee's key made, backed up and its 报送设置 given to a unit;
# the unit's package exported signed and sealed (no readable text in it), imported by the
# committee, a signed receipt confirmed by the unit, the key restored into a fresh database
# that then opens the package; forms written as Word files and a Word file read (a .doc
# refused with its Chinese message); the GUI started offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -e ".[bundle]"

rm -rf dist/lianzheng build/pyinstaller
"$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec

APP=dist/lianzheng
CLI="$APP/lianzheng-cli"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LIANZHENG_CONFIG="$WORK/settings.ini" QT_QPA_PLATFORM=offscreen

echo "== smoke test of $APP"
"$CLI" --version
"$CLI" blank unit -o "$WORK/blank-unit.pdf"
"$CLI" blank post -o "$WORK/blank-post.pdf"
"$CLI" render tests/data/examples/unit-library.json -o "$WORK/example.pdf"
head -c 5 "$WORK/example.pdf" | grep -q '%PDF-'
export LIANZHENG_PASSPHRASE="smoke-test passphrase"
"$CLI" keys create-committee --db "$WORK/committee.db"
"$CLI" keys backup --db "$WORK/committee.db" -o "$WORK/committee.lzkey"
"$CLI" settings export --db "$WORK/committee.db" --year 2026 --deadline 2026-12-15 -o "$WORK"
"$CLI" settings import --db "$WORK/unit.db" "$WORK/2026_校纪委报送设置.lzsz"
"$CLI" import --db "$WORK/unit.db" tests/data/examples/*.json
"$CLI" export --db "$WORK/unit.db" --year 2026 -o "$WORK" --with-pdf
PACKAGE="$WORK/2026_图书馆_廉政风险防控.lzfk"
head -c 12 "$PACKAGE" | grep -q 'LZFK-SEALED'  # sealed to the committee…
if grep -q '图书馆' "$PACKAGE"; then echo "the sealed package shows its content" >&2; exit 1; fi  # …and unreadable
"$CLI" import --db "$WORK/committee.db" "$PACKAGE" 2>&1 | tee "$WORK/import.log"
grep -q '签名已核对' "$WORK/import.log"
"$CLI" receipt --db "$WORK/committee.db" --unit 图书馆 --year 2026 -o "$WORK"
"$CLI" confirm --db "$WORK/unit.db" "$WORK/2026_图书馆_廉政风险防控_回执.lzhz" 2>&1 | tee "$WORK/confirm.log"
grep -q '完全一致' "$WORK/confirm.log"
"$CLI" keys restore --db "$WORK/restored.db" "$WORK/committee.lzkey"
"$CLI" import --db "$WORK/restored.db" "$PACKAGE"
unset LIANZHENG_PASSPHRASE
"$CLI" summary --db "$WORK/committee.db" --year 2026 -o "$WORK/summary.xlsx"
"$CLI" verify --db "$WORK/committee.db" "$("$VENV/bin/python" -c "
import json; from lianzheng_desktop.domain.codec import form_from_json
from lianzheng_desktop.domain.verification import verification_code
print(verification_code(form_from_json(json.load(open('tests/data/examples/unit-library.json')))[0]))")"

# Word: every example form to its own .docx, read back into a fresh database; a filled
# template from elsewhere read; an old .doc refused in Chinese with nothing written
mkdir "$WORK/word"
"$CLI" docx tests/data/examples/*.json -o "$WORK/word/" 2>&1 | tee "$WORK/docx.log"
grep -q '共 2 个 Word 文件' "$WORK/docx.log"
for f in "$WORK"/word/*.docx; do head -c 2 "$f" | grep -q 'PK'; done
"$CLI" import --db "$WORK/word.db" "$WORK/word/" 2>&1 | tee "$WORK/word-import.log"
grep -q '已导入 2 张表格' "$WORK/word-import.log"
"$CLI" import --db "$WORK/word.db" --year 2026 --yes tests/data/docx/post-split.docx 2>&1 | tee "$WORK/word-import.log"
grep -q '读到岗位登记表（张𠮷' "$WORK/word-import.log"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' > "$WORK/old.doc"
if "$CLI" import --db "$WORK/word.db" "$WORK/old.doc" 2>"$WORK/doc.log"; then
    echo "a .doc file was imported" >&2; exit 1
fi
grep -q '另存为' "$WORK/doc.log"

start_gui() {  # prints the seconds from start to the main window being shown
    local started ended
    started=$(date +%s.%N)
    LIANZHENG_QUIT_WHEN_SHOWN=1 "$APP/lianzheng" --db "$WORK/unit.db" 2>/dev/null | grep -q '^shown$'
    ended=$(date +%s.%N)
    "$VENV/bin/python" -c "print(f'{$ended - $started:.2f}')"
}
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true  # a cold start, where permitted
cold=$(start_gui)
warm=$(for _ in 1 2 3 4 5; do start_gui; done | sort -n | sed -n 3p)
size=$(du -sb "$APP" | cut -f1)
mib=$("$VENV/bin/python" -c "print(f'{$size / 2**20:.1f}')")
echo "== bundle: $mib MiB ($size bytes, files' own sizes); GUI start: cold ${cold} s, warm median ${warm} s"
echo "bundle smoke test passed"
