"""Terminal channel: `microcred chat --user NAME`."""
