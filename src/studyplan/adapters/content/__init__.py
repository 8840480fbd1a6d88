"""Shipped and user content: cards, guide sections, and the files they come from."""
