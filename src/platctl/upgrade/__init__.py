"""Keeping services current: drift against the recorded golden path, and three-way upgrades."""
