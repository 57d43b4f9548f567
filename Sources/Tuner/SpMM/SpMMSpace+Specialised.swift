import KernelGen
import SparseFormats

extension SpMMSpace {
    /// The specialised section: every rows-per-block, block size and vector width the kernel is
    /// written for, values as constants and from the array, rows in order and grouped by shared
    /// columns (320 configs before legality and pruning). Legality removes them all above the
    /// size limit (``KernelGen/SpecialisedConfig/maxWrittenFMAs``); the rules
    /// (``SpMMPruningRule/specialisedRules``) keep the ones whose per-block code fits the
    /// instruction cache, with vectors at least half the widest and no idle half block.
    func specialisedConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        for rows in SpecialisedConfig.rowsPerBlockChoices {
            for threads in SpecialisedConfig.threadChoices {
                for vector in SpecialisedConfig.vectorWidths {
                    for values in SpecialisedConfig.Values.allCases {
                        for locality in [false, true] where !locality || rowOrders.contains(.locality) {
                            list.append(.specialised(SpecialisedConfig(
                                rowsPerBlock: rows, threads: threads, vectorWidth: vector, values: values,
                                localityOrder: locality)))
                        }
                    }
                }
            }
        }
        return list
    }
}

extension SpMMSpace {
    /// The standard space with or without the specialised family, and with or without row orders
    /// other than the identity: the one definition behind `--no-specialise` and `--no-reorder`
    /// (`sparrow tune` and `sparrow bench spmm`), for runs that must not spend compile time per
    /// matrix, and for measuring what each feature adds.
    package init(specialise: Bool, reorder: Bool = true) {
        let all = Set(SpMMConfig.Family.allCases)
        self.init(families: specialise ? all : all.subtracting([.specialised]), rowOrders: reorder ? RowOrdering.allCases : [.identity])
    }
}
