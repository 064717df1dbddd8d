"""Numbers as reports show them, in one place for the engine's notes and every writer."""

from __future__ import annotations


def percent(fraction: float, digits: int = 1) -> str:
    """A fraction as a percentage that never rounds a partial value to a whole one: 0.9996 is
    "99.9%", never "100.0%" (a target 99.96% covered is not fully covered), and 0.0004 is
    "<0.1%", never "0.0%"."""
    text = f"{fraction * 100:.{digits}f}"
    step = 10.0 ** -digits
    if fraction < 1 and float(text) >= 100:
        text = f"{100 - step:.{digits}f}"
    elif fraction > 0 and float(text) <= 0:
        return f"<{step:.{digits}f}%"
    return text + "%"
