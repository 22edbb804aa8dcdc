"""Where queries are answered: the Store protocol, the embedded pyoxigraph pool, a remote endpoint."""
