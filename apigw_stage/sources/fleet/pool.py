"""The scan's worker threads: daemon threads whose results come back on one queue, read by the
main thread (scan.py)."""

import queue
import threading

from apigw_stage.sources.fleet.pacing import Stopped


class Pool:
    """Daemon worker threads; results come back on one queue, read by the main thread.

    Each cell's API reads go to a lane of its own (a queue with WORKERS_PER_CELL threads), so a
    cell waiting on its token bucket never holds up another cell: with one shared queue, the
    first region's APIs would occupy every worker and the regions would run one after another."""

    def __init__(self, workers: int, stop: threading.Event):
        self.results: queue.Queue = queue.Queue()
        self.pending = 0
        self.stop = stop
        self.tasks = self.lane(workers)

    def lane(self, workers: int) -> queue.Queue:
        tasks: queue.Queue = queue.Queue()
        tasks.workers = workers
        for _ in range(workers):
            threading.Thread(target=self._work, args=(tasks,), daemon=True).start()
        return tasks

    def _work(self, tasks: queue.Queue):
        while (item := tasks.get()) is not None:
            tag, fn, args = item
            if self.stop.is_set():
                self.results.put((tag, args, None, Stopped()))
                continue
            try:
                self.results.put((tag, args, fn(*args), None))
            except BaseException as exc:  # noqa: BLE001 - every outcome goes back as a result
                self.results.put((tag, args, None, exc))

    def submit(self, tag: str, fn, *args, lane: queue.Queue | None = None):
        self.pending += 1
        (lane or self.tasks).put((tag, fn, args))

    def close(self, lane: queue.Queue | None = None):
        """Let the lane's threads end once its queued work is done."""
        lane = lane or self.tasks
        for _ in range(lane.workers):
            lane.put(None)

    def next(self):
        """The next finished task; waits in short slices so Ctrl-C is seen at once."""
        while True:
            try:
                item = self.results.get(timeout=0.1)
            except queue.Empty:
                continue
            self.pending -= 1
            return item
