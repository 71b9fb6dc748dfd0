"""One module per command; importing a module registers its command on ``xbuild.app.app``.

``options`` is not a command: it holds the option definitions commands share."""
