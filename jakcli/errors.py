"""One exception hierarchy, the exit codes and the run's warning log; only :mod:`jakcli.cli` turns
errors into messages and exit codes."""

EXIT_OK = 0
EXIT_FAIL_ON = 1  # classify/batch --fail-on: a sample reached the level
EXIT_CHECK_FAILED = 1  # rules test: an example failed; rules docs --check: pages are stale
EXIT_INPUT = 2  # bad usage or bad input (also: a --strict warning, a failed batch sample)
EXIT_RULES = 3  # invalid rule or profile files
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70  # a bug in jakcli (EX_SOFTWARE), reported in one line


class JakcliError(Exception):
    """Base error. ``str(err)`` is a complete one-line message: what, where, how to fix."""

    exit_code = EXIT_INPUT


class InputError(JakcliError):
    """Bad or unreadable input (VCF, sample name, genome build, options)."""

    exit_code = EXIT_INPUT


class SitesOnlyVcfError(InputError):
    """A small-variant VCF without sample columns given without the sample it was called in."""


class DataQualityError(InputError):
    """A data-quality warning promoted to an error by ``--strict``."""


class RuleError(JakcliError):
    """A rule or profile file does not validate."""

    exit_code = EXIT_RULES


def one_line(text: str) -> str:
    """Escape control and line-separator characters (\\x0b, \\u2028...) echoed from input values, so
    a message stays one line."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode() for c in text)


def reason(exc: BaseException) -> str:
    """The first line of an exception's message (library messages can run to many lines)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class WarningLog:
    """Bounded data-quality warnings of one run: every one is counted, the first few are listed,
    and ``--strict`` makes the first one fatal."""

    def __init__(self, strict: bool, limit: int = 50):
        self.strict = strict
        self.limit = limit
        self.listed: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        if self.strict:
            raise DataQualityError(f"{message} (--strict makes data-quality warnings errors)")
        self.count += 1
        if message not in self.listed and len(self.listed) < self.limit:
            self.listed.append(message)

    def to_list(self) -> list[str]:
        extra = self.count - len(self.listed)
        return self.listed + ([f"... {extra} further warnings suppressed"] if extra > 0 else [])
