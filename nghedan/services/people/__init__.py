"""People and places: officers and their ratings, users, hamlets, kiosks."""
