"""The panel pages: thin views over panels.permissions, selectors and services."""
