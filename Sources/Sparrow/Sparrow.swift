// The umbrella library: one import for everything Sparrow offers.
@_exported import SparseFormats
@_exported import SparseIO



@_exported import Runtime
