"""Clarification Q&A: vendors ask through their portal while the evaluation is open; the
lead answers the asker, or publishes the answer to every vendor without the asker's name."""
