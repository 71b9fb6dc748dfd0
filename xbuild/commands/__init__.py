"""One module per command; importing a module registers its command on ``xbuild.app.app``."""
