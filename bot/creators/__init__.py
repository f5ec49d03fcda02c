"""Creators' support (seed 004): copy-edit requests, topic requests and amplifying colleagues' own
pieces. The decisions and words are in ``nudges/creators.py``; here are the tables, the queries and
the messages sent through the outbox."""
