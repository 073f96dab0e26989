"""A realistic fictional unit (unit form and a dozen post forms) for trying the program,
training and tests; deterministic for a given unit name and seed."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from lianzheng_desktop.domain.definitions import definitions
from lianzheng_desktop.domain.model import POST, UNIT, Form, RiskPoint

DEMO_NAMESPACE = uuid.UUID("9b1f0c52-8d7e-4d0a-b8f4-3c5e6a7d8e90")

UNITS = ["图书馆", "财务处", "后勤管理处", "招生就业处", "国有资产管理处", "人事处", "教务处",
         "科研处", "计算机与软件工程学院", "商学院", "文学与传媒学院", "建筑与艺术学院",
         "外国语学院", "电子信息工程学院", "学生工作处", "基建处"]

POSTS = [
    ("采购专员", "负责本单位物资、设备和服务的采购申请、询价比价与合同签订。"),
    ("财务报账员", "负责本单位经费报销单据的审核、登记与报账。"),
    ("资产管理员", "负责固定资产的登记、领用、调拨、清查和报废处置。"),
    ("实验室主任", "负责实验室建设规划、设备采购论证、安全管理和开放使用。"),
    ("教务秘书", "负责课程安排、考试组织、成绩录入与学籍异动的审核。"),
    ("学生辅导员", "负责学生思想政治教育、评奖评优、助学金评定和日常管理。"),
    ("科研秘书", "负责科研项目申报、经费预算执行和结题材料的审核。"),
    ("招生专员", "负责招生宣传、录取材料审核和特殊类型招生的组织。"),
    ("后勤维修主管", "负责维修工程的立项、预算审核、施工监督和验收。"),
    ("人事专员", "负责人员招聘、职称评审材料审核和工资福利核算。"),
    ("档案管理员", "负责档案的接收、保管、借阅和保密管理。"),
    ("合同管理员", "负责合同的审查、登记、履约跟踪和归档。"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["晓", "文", "明", "华", "丽", "敏", "静", "磊", "洋", "婷", "军", "勇", "燕", "杰", "涛", "霞", "平", "刚", "桂", "堃", "喆", "燊"]

POINTS = {
    "thought": ["对“有权力就有风险”认识不足，廉洁自律要求执行不到位。",
                "个别人员存在“老好人”思想，对违规苗头不愿提醒、不敢制止。",
                "服务意识欠缺，办事推诿拖延，存在“吃拿卡要”的隐患。"],
    "duty": ["在供应商选择上倾向熟悉的单位，存在利益输送的风险。",
             "验收把关不严，到货品种、数量、质量与合同约定不符。",
             "重要岗位长期由同一人担任，内部轮岗不够。"],
    "process": ["审批流程中一人决定，缺少复核与留痕。",
                "信息公开不及时、不充分，评审过程透明度不够。",
                "经费报销审核不细，存在拆分发票、虚列支出的风险。"],
    "system": ["相关管理办法缺失或多年未修订，自由裁量空间过大。",
               "对制度执行缺乏监督检查，制度落实流于形式。",
               "处置流程缺少书面制度，处置过程不透明。"],
    "external": ["服务对象以宴请、礼品等方式进行“围猎”。",
                 "亲属或身边人员借助职务影响谋取私利。",
                 "受社会不良风气影响，热衷于搞“潜规则”、走“捷径”。"],
}
MEASURES = ["每学期开展廉政警示教育，签订廉洁承诺书。",
            "实行集体决策和双人复核，关键环节全程留痕。",
            "严格执行公开招标和比价程序，结果在校内公示。",
            "定期轮岗交流，重要岗位实行AB角制度。",
            "修订完善管理办法，纪检委员每季度开展专项检查。",
            "严禁接受服务对象宴请和礼品，发现问题及时报告学校纪委。"]


def _risks(rng: random.Random, low: int, high: int) -> list[RiskPoint]:
    risks = []
    for category in definitions().category_keys:
        for point in rng.sample(POINTS[category], rng.randint(low, high)):
            level = rng.choice([1, 2, 2, 3, 3, 3])
            approved = rng.choice([None, level, level, max(1, level - 1)])
            risks.append(RiskPoint(category, point, level, approved, rng.choice(MEASURES)))
    return risks


def demo_forms(unit: str = "图书馆", year: int = 2026, posts: int = 12, seed: int = 1) -> list[Form]:
    """The unit form and ``posts`` post forms of a fictional unit."""
    rng = random.Random(f"{unit}-{year}-{seed}")

    def ident(*parts) -> str:
        return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(map(str, (unit, year, seed, *parts)))))

    filled = dt.date(year, 11, rng.randint(10, 25))
    forms = [Form(
        kind=UNIT, year=year, unit=unit, id=ident("unit"), filled_on=filled,
        head=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
        unit_duties=f"负责{unit}的日常管理与业务工作，承担本单位人、财、物的管理职责，"
                    "组织落实学校的各项工作部署。",
        integrity_duties="落实党风廉政建设主体责任，单位党政负责人履行“一岗双责”，组织开展本单位"
                         "廉政风险排查和防控，对重点环节实施监督。",
        risks=_risks(rng, 1, 3),
    )]
    for i in range(posts):
        post, duty = POSTS[i % len(POSTS)]
        forms.append(Form(
            kind=POST, year=year, unit=unit, id=ident("post", i), filled_on=filled,
            person=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
            post=post if i < len(POSTS) else f"{post}（{i // len(POSTS) + 1}）",
            post_duties=duty,
            integrity_duties="对本岗位的廉政风险负直接责任，严格执行各项制度，接受监督。",
            risks=_risks(rng, 0, 2),
        ))
    return forms
