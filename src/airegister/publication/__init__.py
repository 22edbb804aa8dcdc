"""The build folder's contract (layout, manifest, site index, public URLs): the only package both the build and
the server import.
"""
