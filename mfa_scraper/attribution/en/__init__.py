"""English: reporting verbs ("said", "told", "according to") and the speaker phrases they govern."""
