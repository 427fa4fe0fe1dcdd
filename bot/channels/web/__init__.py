"""Browser playground: pick a learner name and chat with the bot."""
