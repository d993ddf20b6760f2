"""Unitree robots on MJX: `lerax.env.unitree.g1`."""
