"""Plain-Python records, rules and value objects: no Qt, no SQL, no PDF."""
