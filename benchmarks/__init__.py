"""Side-by-side benchmarks of the fal-assets facade against fal-client and raw httpx.

``python -m benchmarks`` runs every case against a served ``FakeFal`` on loopback and writes
``benchmarks/BENCHMARKS.md``; ``python -m benchmarks --quick`` runs every case at tiny sizes.

Kept import-free on purpose: benchmark children import this package first, and the import-time case must not
be charged for anything it would drag in.
"""
