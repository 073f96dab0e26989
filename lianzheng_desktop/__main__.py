import sys

from lianzheng_desktop.cli import main

sys.exit(main())
