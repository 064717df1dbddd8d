"""Allow ``python -m jakcli``."""

from jakcli.cli import main

main()
