"""The use cases: every change to the data is one function here, run in one unit of work that
also writes its audit event. The web front end and the CLI call these and nothing else to write.
"""
