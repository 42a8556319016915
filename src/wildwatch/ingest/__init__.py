"""Posts in: the post model and the readers for JSONL, CSV and Parquet files."""

from wildwatch.ingest.post import POST_FIELDS, Post, PostError, Seller, post_from_mapping

__all__ = ["POST_FIELDS", "Post", "PostError", "Seller", "post_from_mapping"]
