"""Anki both ways: reading .apkg/.colpkg packages (legacy and current formats) into own cards
and reviews, and writing studyplan's cards as an .apkg deck."""
