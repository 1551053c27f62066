"""Everything the bot stores, and the only way to reach it: models, sessions, queries, migrations."""
