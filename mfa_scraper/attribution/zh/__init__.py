"""Chinese: reporting verbs (说, 表示, 称 …) and the speaker phrase before them."""
