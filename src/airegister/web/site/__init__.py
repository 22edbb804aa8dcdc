"""The pages for people: home, project list and search, downloads, about."""
