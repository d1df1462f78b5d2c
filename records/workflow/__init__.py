"""The moderation workflow, written once for every record type: proposing, reviewing and approving
(review.py is its public face), history and merges, publishing a content state into rows, indexing for
search, notifications, and loading the seed file through the same review."""
