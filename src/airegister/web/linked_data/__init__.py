"""Linked Data: /id redirects, /doc documents in every syntax and as pages."""
