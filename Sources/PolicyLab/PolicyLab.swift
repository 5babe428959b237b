// The PolicyLab umbrella module: re-exports the layers so `import PolicyLab` is enough.
@_exported import LinearAlgebra
