"""``python -m cmgtui`` runs the same entry point as the ``cmgtui`` console script."""

from cmgtui.cli import main

raise SystemExit(main())
