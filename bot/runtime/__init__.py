"""The process runtime: leader election, heartbeats, and the periodic sweeps features register."""

from bot.runtime.periodic import Periodic, worker_name

__all__ = ["Periodic", "worker_name"]
