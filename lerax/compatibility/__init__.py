"""Bridges between lerax and other reinforcement-learning libraries.

- `lerax.compatibility.gym`: Gymnasium environments as lerax environments and back
  (needs Gymnasium: ``pip install "lerax[gym]"``).
- `lerax.compatibility.gymnax`: gymnax environments as lerax environments and back
  (needs gymnax: ``pip install "lerax[gymnax]"``).

Each bridge is imported on its own, so `import lerax` never needs the other library.
"""
