"""Which team gets a document: the routing table, its sync from the office, card tokens."""
