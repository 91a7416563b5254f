"""``python -m review``: the review app's command line."""

from review.cli import main

raise SystemExit(main())
