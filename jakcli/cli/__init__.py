"""Command-line interface: parses options, calls the library, prints. No logic lives here.

Exit codes (defined in :mod:`jakcli.errors`): 0 success (with or without findings); 1 only for
``--fail-on`` (and a failing ``rules test`` / stale ``rules docs --check``); 2 bad usage or bad
input; 3 invalid rules; 70 an internal error (a bug). Errors are one line on stderr, never a
traceback. Each command lives in its own module; heavy modules are imported inside commands.
"""

from __future__ import annotations

import os
import sys

import click

from jakcli import __version__
from jakcli.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, JakcliError, one_line


def _fail(err: JakcliError) -> None:
    click.echo(f"jakcli: error: {one_line(str(err))}", err=True)
    sys.exit(err.exit_code)


COMMANDS = {  # name -> (module, attribute): a command's module is imported only when it runs
    "classify": ("jakcli.cli.classify", "classify"),
    "rules": ("jakcli.cli.rules", "rules"),
    "batch": ("jakcli.cli.batch", "batch"),
    "diff": ("jakcli.cli.diff", "diff"),
}


class _Group(click.Group):
    """Turn library errors and usage errors into one-line messages with documented exit codes.
    Subcommands load on demand (``classify`` need not import what ``batch`` needs)."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, cmd_name):
        if cmd_name not in COMMANDS:
            return None
        from importlib import import_module

        module, attr = COMMANDS[cmd_name]
        return getattr(import_module(module), attr)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except JakcliError as err:
            _fail(err)
        except KeyboardInterrupt:
            click.echo("jakcli: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.exit(0)
        except MemoryError:
            click.echo("jakcli: error: out of memory", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: still one line, never a traceback (JAKCLI_DEBUG=1 shows it)
            if os.environ.get("JAKCLI_DEBUG"):
                raise
            click.echo(f"jakcli: internal error: {type(exc).__name__}: {exc} (this is a bug in jakcli; "
                       "rerun with JAKCLI_DEBUG=1 and report the traceback)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jakcli", message="%(prog)s %(version)s")
def cli():
    """Classify JAK-STAT pathway alterations in VCF/BCF input and stratify risk per sample."""



def main():
    try:
        cli(prog_name="jakcli")
    except JakcliError as err:
        _fail(err)


if __name__ == "__main__":
    main()
