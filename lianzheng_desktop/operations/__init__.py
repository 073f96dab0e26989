"""What a user does, one function each: the same code behind a window's button and a
``lianzheng`` subcommand (as anki's ``aqt/operations`` sit over ``pylib/anki``).

No Qt here. A function does the work through the store and exchange layers and returns
a result that says what happened, with the sentence to show; ``cli.py`` prints it and
``ui/`` shows it in a window, asking the user in between where a decision is needed.

- ``forms``      new, duplicate, delete, restore a form; restore a revision
- ``years``      start a year from another
- ``files``      form data files (.json) in and out
- ``sending``    the unit's data package for the committee (signed, sealed), and the committee's receipt
- ``committee``  importing packages (plan, then apply; undo a supersede), unit lists, receipts,
                 attached PDFs, the Excel summary
- ``keys``       the committee's key (create, back up, restore), a unit's signing key, what a database holds
- ``reporting``  the 报送设置 of a year: deadline, the settings file out (committee) and in (unit)
- ``demo``       the fictional example unit, checked like any form
- ``verifying``  a 校验码 read from paper
"""
