"""Peer benchmark harness for PolicyLab (driven by ``scripts/bench-peers``).

Modules, by concept:

* ``data``    -- deterministic benchmark inputs (raw little-endian float64, column-major;
                 CSV text for the csv tasks).
* ``peers``   -- the Python peers (numpy; pandas and pyarrow for csv; statsmodels/pyfixest later).
* ``tasks``   -- the task table: data generator + peer + PolicyLab command per task.
* ``runner``  -- interleaved timing of PolicyLab and peer, checksum verification.
* ``machine`` -- machine, package and BLAS (threadpoolctl) information.
* ``report``  -- console table and JSON output.
* ``main``    -- command line entry point.
"""
