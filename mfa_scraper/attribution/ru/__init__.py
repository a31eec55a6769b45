"""Russian: reporting verbs (заявил, сказала …), inflected names and «…» quotation."""
