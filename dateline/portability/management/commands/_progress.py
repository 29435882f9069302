"""A tqdm bar per stage for the import and export commands."""

from __future__ import annotations

from typing import Any

from tqdm import tqdm


class StageBars:
    """``progress(stage, done, total)`` for the services: one bar per stage, closed at the end."""

    def __init__(self, *, disable: bool, unit: str) -> None:
        self.disable = disable
        self.unit = unit
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            for other in self.bars.values():
                other.close()
            bar = tqdm(desc=stage, total=total, unit=self.unit, disable=self.disable)
            self.bars[stage] = bar
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
