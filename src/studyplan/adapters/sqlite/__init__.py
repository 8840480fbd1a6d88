"""The user's SQLite database: the file (`dbfile`), checked row values (`rows`), the schema's
migrations (`schema`), the review log (`review_log`), reviews from other programs (`outside`)
and the `Store` that joins them."""
