"""The journey engine: pure rules about zones, progression, nudges and messages.

Standard library only. Time (``now``) and randomness (a ``random.Random``) always come in as
arguments, so every rule can be tested with a fixed clock and a seeded generator.
"""
