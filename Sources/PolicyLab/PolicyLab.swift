// The PolicyLab umbrella module: re-exports the layers so `import PolicyLab` is enough.
@_exported import LinearAlgebra
@_exported import Tabular
@_exported import Regression
@_exported import MonteCarlo
@_exported import Optimization
