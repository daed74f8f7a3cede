"""The use cases: each owns its transaction and returns plain data plus what changed."""
