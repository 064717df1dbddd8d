"""Who owns a rule id or alias when rule sets are stacked (bundled rules first, then each
``--rules`` directory in order): one policy, used by the loader and by ``rules lint``.

A later set may add rules. It may replace a rule of an earlier set only when the replacing rule
says ``overrides: true``; the replaced rule's aliases are then dropped. ``overrides: true`` with
nothing to replace is an error, and so is any other reuse of an id or alias.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Owner:
    rule_id: str
    where: str  # the file that defines it, for messages
    ruleset: str  # the rule set (directory) it belongs to


class IdRegistry:
    """Ids and aliases taken so far: key -> :class:`Owner`."""

    def __init__(self) -> None:
        self.owners: dict[str, Owner] = {}

    def resolve(self, key: str) -> str | None:
        owner = self.owners.get(key)
        return owner.rule_id if owner else None

    def overrides_nothing(self, rule_id: str, overrides: bool) -> bool:
        return overrides and rule_id not in self.owners

    def clashes(self, rule_id: str, aliases: list[str], overrides: bool, ruleset: str) -> list[tuple[int, str, Owner]]:
        """(position in ``[rule_id, *aliases]``, key, its owner) for every key the rule may not take.
        A deliberate override of a rule of another set is allowed."""
        out = []
        for k, key in enumerate([rule_id, *aliases]):
            owner = self.owners.get(key)
            if owner is None or (overrides and owner.rule_id == rule_id and owner.ruleset != ruleset):
                continue
            out.append((k, key, owner))
        return out

    def register(self, rule_id: str, aliases: list[str], where: str, ruleset: str, overrides: bool) -> None:
        """Take the rule's keys; an override first drops every key of the rule it replaces."""
        if overrides and rule_id in self.owners:
            for key in [k for k, o in self.owners.items() if o.rule_id == rule_id]:
                del self.owners[key]
        for key in (rule_id, *aliases):
            self.owners.setdefault(key, Owner(rule_id, where, ruleset))
