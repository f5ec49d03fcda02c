"""Marketing's suggested shares: counting texts the way each network counts, one validation for the
Slack modal, the Teams card and the YAML import, tracked links, and the report of what happened."""
