"""Run the ``paperkg`` command in-process, as the CLI tests do."""

from __future__ import annotations

from paperkg.cli import main


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the CLI with ``argv``; return (exit status, stdout, stderr)."""
    try:
        main(argv)
        code = 0
    except SystemExit as exit:
        code = exit.code or 0
    out, err = capsys.readouterr()
    return code, out, err
