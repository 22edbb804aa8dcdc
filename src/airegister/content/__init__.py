"""Loading a content root and validating it with SHACL: what the build and `validate` read."""
