"""``python -m wildwatch``: the same as the ``wildwatch`` command."""

from wildwatch.cli.main import main

main()
