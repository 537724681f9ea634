"""A progress bar for batches (rich), silent when stderr is not a terminal."""

from __future__ import annotations

from typing import Any


class BatchProgress:
    """Counts of done, with gaps and failed; shows nothing unless `enabled`."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.done = self.gaps = self.failed = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> BatchProgress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[detail]}"),
                TimeRemainingColumn(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("batch", total=self.total, detail="")
        return self

    def update(self, outcome: Any) -> None:
        self.done += 1
        if outcome.error:
            self.failed += 1
        elif any(s != "met" for s in outcome.statuses):
            self.gaps += 1
        if self._progress is not None:
            self._progress.update(
                self._task, advance=1, detail=f"{self.gaps} with gaps, {self.failed} failed"
            )

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
