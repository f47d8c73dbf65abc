"""Escalating penalties (issue 18, item 5): the ladder, pure.

With ``penalty_rejections`` = N > 0, an author whose comments moderators rejected N times for one of
``penalty_reasons`` within ``penalty_window_days`` (counting only rejections after their last
penalty) is banned automatically for the next step of ``penalty_steps`` — days, 0 for permanent —
e.g. "1,7,0": one day, then seven, then for good. The last step repeats. Moderators see each penalty
in their chat with «↩️ لغو جریمه» (an undone penalty does not count towards the next step).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ladder:
    """How many counted rejections trigger a step, in how many days, which reasons count, the steps."""

    rejections: int
    window_days: int
    reasons: frozenset[str]
    steps: tuple[int | None, ...]  # ban days per step; None: permanent

    @classmethod
    def of(cls, rejections: int, window_days: int, reasons: str, steps: str) -> Ladder:
        """From the settings' values (``steps``: comma-separated days, 0 for permanent)."""
        days = tuple(None if int(s) == 0 else int(s) for s in steps.replace(" ", "").split(",") if s)
        codes = frozenset(r.strip() for r in reasons.split(",") if r.strip())
        return cls(rejections, window_days, codes, days or (None,))

    @property
    def on(self) -> bool:
        return self.rejections > 0 and bool(self.reasons)

    def due(self, counted: int) -> bool:
        """Whether ``counted`` rejections since the last penalty reach the next step."""
        return self.on and counted >= self.rejections

    def step(self, earlier: int) -> tuple[int, int | None]:
        """The 1-based step after ``earlier`` penalties, and its ban days (None: permanent)."""
        index = min(earlier, len(self.steps) - 1)
        return index + 1, self.steps[index]

    def next_days(self, step: int) -> int | None:
        """The ban days of the step after ``step`` (the last step repeats)."""
        return self.steps[min(step, len(self.steps) - 1)]
