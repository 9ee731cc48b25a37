"""The eval suite: golden questions, metrics, the tutorial baseline, the report and the gate."""
