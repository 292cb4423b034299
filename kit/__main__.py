"""``python -m kit``: the instructor's command line (see `kit.cli`)."""

from kit.cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m kit")
