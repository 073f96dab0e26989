"""Saves a form over and over, printing the number of every save that returned.

Used by test_durability.py, which kills this process at random moments:
python writer_child.py DB RUN
"""

import sys

from lianzheng_desktop.domain.demo import demo_forms
from lianzheng_desktop.store import FormStore

db, run = sys.argv[1], sys.argv[2]
store = FormStore.open(db)
form = store.get(demo_forms("图书馆", posts=0)[0].id) or demo_forms("图书馆", posts=0)[0]
i = 0
while True:
    form.head = f"{run}-{i}"
    form.unit_duties = f"第 {run} 轮第 {i} 次保存。" * 50  # a few kB per revision
    store.save(form)
    print(i, flush=True)
    i += 1
