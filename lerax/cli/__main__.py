"""`python -m lerax.cli ...`, the same as the `lerax` command."""

import sys

from . import main

sys.exit(main())
