"""Order intake: every incoming order (a CSV file's, a shop API's, a webhook's) is checked
and written through this one door, whole or not at all, keyed by channel + external id."""
