"""Where queries are answered: the Store protocol, the embedded pyoxigraph pool (`pool/`), a remote endpoint;
`opening.open_store` picks one from the settings."""
