"""``python -m paperkg`` runs the ``paperkg`` command."""

from paperkg.cli import main

main()
