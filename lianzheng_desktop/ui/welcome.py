"""What the centre shows when no form is open: the three steps, never an empty grey area.

On a first run it introduces the program; once the year has forms it says what the year
holds and that a form opens from the list on the left. Each step's button leads to the
step: ① the unit form, ② a new post form, ③ printing all forms and the data package;
before them, forms filled in Word earlier can be read in instead of typed again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lianzheng_desktop.domain.definitions import definitions

INTRO = ("按校党字〔2019〕37号的要求，填写本单位和重要岗位的廉政风险防控登记表，"
         "打印签字盖章，并把数据报送校纪委。所有内容随时自动保存。")


class WelcomePage(QWidget):
    def __init__(self, actions: dict, parent=None):
        super().__init__(parent)
        d = definitions()
        self.title = QLabel("廉政风险防控登记")
        self.title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.intro = QLabel(INTRO, wordWrap=True)
        self.hint = QLabel(wordWrap=True)
        self.hint.setStyleSheet("font-size: 12pt; color: #1f5fa8;")
        self.hint.hide()
        label = lambda key: d.field(key).label  # noqa: E731
        first, many = d.kinds[0], next(k for k in d.kinds if not k.singleton)
        steps = [
            ("① 填写" + first.title,
             f"{label('unit_duties')}、{label('integrity_duties')}，以及五类风险的风险点、等级和防控措施。",
             [actions["unit"]]),
            ("② 添加" + many.title,
             f"每个重要岗位一张：{label('person')}、{label('post_duties')}和本岗位的风险点。", [actions["post"]]),
            ("③ 打印与报送", "全部表格打印后签字盖章；把数据包导出，交给校纪委。",
             [actions["print"], actions["send"]]),
        ]
        if "word" in actions:  # last year's forms filled in Word: read, not retyped
            steps.insert(0, ("已有用 Word 填好的登记表？",
                             "读入本年度，先预览核对，再作为草稿修改（文件 → Word）。", actions["word"]))
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for row, (head, text, row_actions) in enumerate(steps):
            step = QLabel(f"<b>{head}</b><br>{text}")
            step.setWordWrap(True)
            line = QHBoxLayout()
            for action in row_actions:
                button = QPushButton(action.text().replace("…", "").replace("（报送校纪委）", ""))
                button.clicked.connect(action.trigger)
                button.setEnabled(action.isEnabled())
                action.changed.connect(lambda b=button, a=action: b.setEnabled(a.isEnabled()))
                line.addWidget(button)
                self.buttons.append(button)
            grid.addWidget(step, row, 0)
            grid.addLayout(line, row, 1)
        grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addWidget(self.hint)
        layout.addSpacing(16)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setMaximumWidth(900)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def show_year(self, heading: str, summary: str | None) -> None:
        """First run (``summary`` None): the introduction. Otherwise what the year holds and
        how to open a form."""
        self.title.setText(heading)
        self.intro.setVisible(summary is None)
        self.hint.setVisible(summary is not None)
        if summary is not None:
            self.hint.setText(summary + "\n在左边的列表中点一张表格打开它，或按下面的步骤继续。")
