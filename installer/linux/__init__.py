"""The Debian package (build_deb.py) and its files (package_files.py)."""
