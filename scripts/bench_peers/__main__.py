"""Allow ``python -m bench_peers``."""

import sys

from .main import main

sys.exit(main())
