"""`python -m fal_assets`: the same command line as `fal-assets`."""

from .cli import main

raise SystemExit(main())
