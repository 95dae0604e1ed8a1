"""``python -m analyzer`` runs the ``analyze`` command."""

from analyzer.cli import main

raise SystemExit(main())
