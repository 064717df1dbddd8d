"""A problem found in a data file (rule, profile, catalogue): where, a stable code, what and how
to fix it. Lint reports them; loaders turn the first one into an error."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}\n    hint: {self.hint}"

    def github(self) -> str:
        msg = f"{self.code} {self.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.col}::{msg}%0Ahint: {self.hint}"
