"""Moving cases in and out: the exchange file format, import of historic cases, export."""
