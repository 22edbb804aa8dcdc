"""airegister: the Belgian public sector's AI register, published as Linked Open Data."""

__version__ = "0.1.0"
