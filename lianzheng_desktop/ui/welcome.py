"""What a first run shows instead of an empty grey window: the three steps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lianzheng_desktop.domain.definitions import definitions


class WelcomePage(QWidget):
    def __init__(self, actions: dict, parent=None):
        super().__init__(parent)
        d = definitions()
        title = QLabel("廉政风险防控登记")
        title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        intro = QLabel("按校党字〔2019〕37号的要求，填写本单位和重要岗位的廉政风险防控登记表，"
                       "打印签字盖章，并把数据报送校纪委。所有内容随时自动保存。", wordWrap=True)
        label = lambda key: d.field(key).label  # noqa: E731
        first, many = d.kinds[0], next(k for k in d.kinds if not k.singleton)
        steps = [
            ("① 填写" + first.title,
             f"{label('unit_duties')}、{label('integrity_duties')}，以及五类风险的风险点、等级和防控措施。",
             actions["unit"]),
            ("② 添加" + many.title,
             f"每个重要岗位一张：{label('person')}、{label('post_duties')}和本岗位的风险点。", actions["post"]),
            ("③ 打印与报送", "打印后签字盖章；把数据导出报送校纪委。", actions["print"]),
        ]
        grid = QGridLayout()
        for row, (head, text, action) in enumerate(steps):
            label = QLabel(f"<b>{head}</b><br>{text}")
            label.setWordWrap(True)
            button = QPushButton(action.text().replace("…", ""))
            button.clicked.connect(action.trigger)
            grid.addWidget(label, row, 0)
            grid.addWidget(button, row, 1)
        grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(16)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.setMaximumWidth(900)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
