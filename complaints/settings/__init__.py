"""The sections of `config.toml`, each a frozen pydantic dataclass that checks its own values.

`complaints.config` reads the file into one `Settings` made of these sections; `values` holds the
kinds of value they share and `messages` turns what pydantic refuses into plain English.
"""
