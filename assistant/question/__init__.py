"""Understanding the question, the first stage. Its one entry is `understand`
(assistant/question/understand.py): the question's shape (analysis.py), what it asks of the
project records (records.py, conditions.py), its names linked to the store (names.py, spelling.py),
the words the store never uses (unknown.py); remit.py says which requests are outside the remit."""
