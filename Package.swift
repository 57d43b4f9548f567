// swift-tools-version:6.0
import Foundation
import PackageDescription

// Module layout follows ../shared/docs/architecture.md (SystemLibraries, the one dlopen wrapper,
// sits below CUDA and CPUKernels and imports nothing of ours):
// pure modules (SparseFormats, KernelGen, Tuner) test anywhere; thin impure ones
// (SparseIO for files, CUDA for the device, CPUKernels for host threads) wrap them;
// Runtime wires them together; `sparrow` is the command line.
// The SpMM kernels (CPUKernelsC) carry AVX-512, AVX2+FMA and portable paths in every build and pick
// one at run time. CPUKernels' remaining Swift SIMD code (repacking, the fallback GEMM) is compiled
// for baseline x86-64 unless `SPARROW_CPU_TARGET=native swift build -c release` (or `znver4`,
// `skylake-avx512`, `haswell`) names a CPU.
// Unsafe flags work when Sparrow is the root package or a local (path) dependency; SwiftPM
// refuses them in remote dependencies, so leave SPARROW_CPU_TARGET unset there.
let cpuTarget = Context.environment["SPARROW_CPU_TARGET"] ?? ""
let cpuTargetsWithoutFMA: Set<String> = [
    "", "x86-64", "generic", "core2", "nehalem", "corei7", "westmere", "sandybridge", "corei7-avx",
    "ivybridge", "core-avx-i", "btver1", "btver2", "k8", "k8-sse3", "amdfam10", "barcelona",
]
let cpuTargetsWithAVX512: Set<String> = [
    "znver4", "znver5", "skylake-avx512", "skx", "cascadelake", "cooperlake", "cannonlake", "icelake-client",
    "icelake-server", "tigerlake", "rocketlake", "sapphirerapids", "emeraldrapids", "graniterapids",
    "graniterapids-d", "diamondrapids",
]
// `native` has AVX-512 when this machine's /proc/cpuinfo says so.
let nativeHasAVX512 =
    cpuTarget == "native"
    && ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx512f") ?? false)
let cpuKernelSettings: [SwiftSetting] =
    cpuTarget.isEmpty
    ? []
    : [.unsafeFlags(["-target-cpu", cpuTarget])]
        + (cpuTargetsWithoutFMA.contains(cpuTarget) ? [] : [.define("SPARROW_FMA")])
        + (cpuTargetsWithAVX512.contains(cpuTarget) || nativeHasAVX512 ? [.define("SPARROW_AVX512")] : [])

let package = Package(
    name: "Sparrow",
    // Supported and tested: Linux x86-64 (Debian 12, Ubuntu 24.04). The macOS minimum is what the
    // code's APIs need; macOS is not tested.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sparrow", targets: ["Sparrow"]),
        .executable(name: "sparrow", targets: ["SparrowCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .target(name: "SparseFormats"),
        // zlib from the system (headers: Debian zlib1g-dev), for inflating .npz members in place.
        .systemLibrary(
            name: "SparrowZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"]), .brew(["zlib"])]),
        .target(
            name: "SparseIO",
            dependencies: ["SparseFormats", "SparrowZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "KernelGen", dependencies: ["SparseFormats"]),
        // dlopen, dlsym and dlerror in one place, for CUDA's and OpenBLAS's run-time loading.
        .target(name: "SystemLibraries"),
        .target(name: "CUDA", dependencies: ["SystemLibraries"]),
        .target(name: "Tuner", dependencies: ["KernelGen", "SparseFormats"]),
        // The tuning database (SQLite through GRDB): trials recorded by Tuner's searches, best configs.
        .target(
            name: "TuningStore",
            dependencies: ["Tuner", "KernelGen", "SparseFormats", .product(name: "GRDB", package: "GRDB.swift")]),
        // The SpMM kernels in C, one template compiled for AVX-512, AVX2 + FMA and a portable path
        // with per-function target attributes, picked at run time (no unsafeFlags).
        .target(name: "CPUKernelsC"),
        .target(
            name: "CPUKernels", dependencies: ["SparseFormats", "SystemLibraries", "CPUKernelsC"],
            swiftSettings: cpuKernelSettings),
        .target(name: "Runtime", dependencies: ["SparseFormats", "KernelGen", "Tuner", "CUDA", "CPUKernels"]),
        // Whole networks: the BERT tokenizer and encoders from a model folder (config.json, safetensors).
        .target(
            name: "Models", dependencies: ["SparseFormats", "SparseIO", "CPUKernels", "Runtime", "KernelGen", "Tuner", "CUDA"],
            swiftSettings: cpuKernelSettings),
        .target(name: "FileTools", dependencies: ["SparseFormats", "SparseIO"]),
        // The commit a build was made from (scripts/build-static.sh stamps it), for reports.
        .target(name: "SparrowBuildStamp"),
        .target(
            name: "Bench",
            dependencies: [
                "SparseFormats", "SparseIO", "KernelGen", "Tuner", "TuningStore", "CUDA", "CPUKernels", "Runtime", "Models", "FileTools",
                "SparrowBuildStamp",
            ]),
        .target(name: "Sparrow", dependencies: ["SparseFormats", "SparseIO", "Runtime", "Models"]),
        .executableTarget(
            name: "SparrowCLI",
            dependencies: [
                "SparseFormats", "SparseIO", "KernelGen", "CUDA", "CPUKernels", "Runtime", "Bench", "FileTools", "Models",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "SparseFormatsTests", dependencies: ["SparseFormats"]),
        .testTarget(
            name: "SparseIOTests", dependencies: ["SparseIO", "SparseFormats"],
            exclude: ["make_malformed.py", "Python"],
            resources: [.copy("Malformed")]),
        // Tuner for the search space: the NVRTC corpus compiles every config of it.
        .testTarget(name: "KernelGenTests", dependencies: ["KernelGen", "Tuner", "SparseFormats", "CUDA"],
                    resources: [.copy("Golden")]),
        .testTarget(name: "TunerTests", dependencies: ["Tuner", "KernelGen", "SparseFormats"], exclude: ["Fixtures"]),
        .testTarget(name: "TuningStoreTests", dependencies: ["TuningStore", "Tuner", "KernelGen", "SparseFormats"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["SystemLibraries"]),
        .testTarget(name: "CUDATests", dependencies: ["CUDA"]),
        .testTarget(name: "CPUKernelsTests", dependencies: ["CPUKernels", "SparseFormats"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Tuner", "CPUKernels", "SparseFormats"]),
        .testTarget(name: "SparrowTests", dependencies: ["Sparrow"]),
        .testTarget(
            name: "ModelsTests", dependencies: ["Models", "SparseFormats", "SparseIO", "FileTools"],
            exclude: ["Python"], resources: [.copy("Corpus")]),
        .testTarget(
            name: "BenchTests", dependencies: ["Bench", "Runtime", "KernelGen", "SparseFormats", "SparseIO", "TuningStore", "Tuner"]),
        .testTarget(
            name: "CLITests", dependencies: ["Bench", "Runtime", "FileTools", "Models", "SparseFormats", "SparseIO", "SparrowCLI"]),
    ]
)
