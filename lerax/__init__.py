"""lerax: deep reinforcement learning in pure JAX and Equinox."""
