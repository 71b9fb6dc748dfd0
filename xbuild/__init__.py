"""xbuild: rewrite Dockerfiles so multi-platform builds cross-compile instead of emulating."""

__version__ = "0.1.0"

# Where the project lives: the one place its address is written (the docs' rule pages,
# SARIF's helpUri, the internal-error line). A placeholder until the project is published.
REPO_URL = "https://github.com/xbuild-dev/xbuild"
ISSUES_URL = f"{REPO_URL}/issues"
