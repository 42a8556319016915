"""``wildwatch serve``: the API, the review console and the webhook sender."""
