"""Rules every route shares: content negotiation, conditional requests, CORS, errors, the path prefix, static and
build files.
"""
