"""`python -m gkassist` runs the command line."""

from gkassist.cli import main

raise SystemExit(main())
