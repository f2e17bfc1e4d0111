"""``python -m generator``: the soapgen command line."""

from .cli import main

raise SystemExit(main())
