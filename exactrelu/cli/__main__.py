"""``python -m exactrelu.cli``: the same as the ``exactrelu`` command."""

import sys

from . import main

sys.exit(main())
