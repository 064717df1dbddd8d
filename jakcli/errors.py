"""One exception hierarchy; only cli.py turns these into messages and exit codes."""

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_INPUT = 2
EXIT_RULES = 3
EXIT_INTERNAL = 70  # a bug in jakcli (EX_SOFTWARE), reported in one line


class JakcliError(Exception):
    """Base error. ``str(err)`` is a complete one-line message: what, where, how to fix."""

    exit_code = EXIT_INPUT


class InputError(JakcliError):
    """Bad or unreadable input (VCF, sample name, genome build, options)."""

    exit_code = EXIT_INPUT


class DataQualityError(InputError):
    """A data-quality warning promoted to an error by ``--strict``."""


class RuleError(JakcliError):
    """A rule or profile file does not validate."""

    exit_code = EXIT_RULES


def reason(exc: BaseException) -> str:
    """The first line of an exception's message (library messages can run to many lines)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
