"""What a user does, one function each: the same code behind a window's button and a
``lianzheng`` subcommand (as anki's ``aqt/operations`` sit over ``pylib/anki``).

No Qt here. A function does the work through the store and exchange layers and returns
a result that says what happened, with the sentence to show; ``cli.py`` prints it and
``ui/`` shows it in a window, asking the user in between where a decision is needed.

- ``forms``      new, duplicate, delete, restore a form; restore a revision
- ``years``      start a year from another
- ``files``      form data files (.json) in and out
- ``sending``    the unit's data package for the committee, and the committee's receipt
- ``committee``  importing packages (plan, then apply), unit lists, receipts, the Excel summary
- ``verifying``  a 校验码 read from paper
"""
