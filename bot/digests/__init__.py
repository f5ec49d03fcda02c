"""The managers' weekly team digest: subscriptions, the week's counts, planning into the outbox."""
