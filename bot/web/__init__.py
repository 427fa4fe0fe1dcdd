"""The aiohttp server that hosts every HTTP endpoint."""
