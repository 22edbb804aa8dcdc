"""Running the app: uvicorn in one or several processes, the protocol shortcut, in-process requests."""
