"""xbuild: rewrite Dockerfiles so multi-platform builds cross-compile instead of emulating."""

__version__ = "0.1.0"
