"""`python -m fal_assets.testing`: serve a FakeFal on 127.0.0.1 until Ctrl-C (see `_serve.py`)."""

from ._serve import main

raise SystemExit(main())
