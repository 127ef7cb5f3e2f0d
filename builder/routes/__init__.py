"""The JSON API of SPEC §8, one module per resource."""
