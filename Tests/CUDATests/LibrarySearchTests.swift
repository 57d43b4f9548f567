import Testing
@testable import CUDA

@Suite struct LibrarySearchTests {
    let site = "/home/u/.venv/lib/python3.12/site-packages"

    @Test func orderIsEnvThenCudaHomeThenToolkitsThenWheelsThenSoname() {
        let files = [
            "/opt/custom/libnvrtc.so.13",
            "/opt/cuda/lib64/libnvrtc.so.12",
            "/usr/local/cuda/lib64/libnvrtc.so.13",
            "/usr/local/cuda-12.9/targets/x86_64-linux/lib/libnvrtc.so.12",
            "/usr/local/cuda-13.0/targets/x86_64-linux/lib/libnvrtc.so.13",
            "/usr/local/cuda-12.10/targets/x86_64-linux/lib/libnvrtc.so.12",
            site + "/nvidia/cu13/lib/libnvrtc.so.13",
            site + "/nvidia/cuda_nvrtc/lib/libnvrtc.so.12",
        ]
        let candidates = LibrarySearch.candidates(
            for: .nvrtc, environment: ["SPARROW_NVRTC": "/opt/custom/libnvrtc.so.13", "CUDA_HOME": "/opt/cuda"],
            fileSystem: fakeFileSystem(files), sitePackages: [site])
        #expect(candidates.map(\.path) == [
            "/opt/custom/libnvrtc.so.13",
            "/opt/cuda/lib64/libnvrtc.so.12",
            "/usr/local/cuda/lib64/libnvrtc.so.13",
            "/usr/local/cuda-13.0/targets/x86_64-linux/lib/libnvrtc.so.13",
            "/usr/local/cuda-12.10/targets/x86_64-linux/lib/libnvrtc.so.12",
            "/usr/local/cuda-12.9/targets/x86_64-linux/lib/libnvrtc.so.12",
            site + "/nvidia/cu13/lib/libnvrtc.so.13",
            site + "/nvidia/cuda_nvrtc/lib/libnvrtc.so.12",
            "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so",
        ])
        #expect(candidates.first?.origin == "SPARROW_NVRTC")
        #expect(candidates[1].origin == "CUDA_HOME")
        #expect(candidates.last?.origin == "soname")
    }

    @Test func explicitVariableIsListedEvenWhenMissingAndFoldersExpandToSonames() {
        let missing = LibrarySearch.candidates(
            for: .driver, environment: ["SPARROW_LIBCUDA": "/nowhere/libcuda.so.1"],
            fileSystem: fakeFileSystem([]), sitePackages: [])
        #expect(missing.map(\.path) == ["/nowhere/libcuda.so.1", "libcuda.so.1", "libcuda.so"])
        let folder = LibrarySearch.candidates(
            for: .cusparse, environment: ["SPARROW_CUSPARSE": "/opt/sp"], fileSystem: fakeFileSystem([]), sitePackages: [])
        #expect(folder.prefix(3).map(\.path) == ["/opt/sp/libcusparse.so.13", "/opt/sp/libcusparse.so.12", "/opt/sp/libcusparse.so"])
    }

    @Test func nothingFoundLeavesOnlySonames() {
        let candidates = LibrarySearch.candidates(for: .cublas, environment: [:], fileSystem: fakeFileSystem([]),
                                                  sitePackages: [site])
        #expect(candidates.map(\.path) == ["libcublas.so.13", "libcublas.so.12", "libcublas.so"])
    }

    @Test func perLibraryWheelFolders() {
        let files = [site + "/nvidia/cublas/lib/libcublas.so.12", site + "/nvidia/cusparse/lib/libcusparse.so.12",
                     site + "/nvidia/cu12/lib/libcublasLt.so.12"]
        let fs = fakeFileSystem(files)
        #expect(LibrarySearch.candidates(for: .cublas, environment: [:], fileSystem: fs, sitePackages: [site]).first?.path
                == site + "/nvidia/cublas/lib/libcublas.so.12")
        #expect(LibrarySearch.candidates(for: .cusparse, environment: [:], fileSystem: fs, sitePackages: [site]).first?.path
                == site + "/nvidia/cusparse/lib/libcusparse.so.12")
        #expect(LibrarySearch.candidates(for: .cublasLt, environment: [:], fileSystem: fs, sitePackages: [site]).first?.path
                == site + "/nvidia/cu12/lib/libcublasLt.so.12")
    }

    @Test func toolkitsSortNewestFirstNumerically() {
        let fs = fakeFileSystem(["/usr/local/cuda-12.9/x", "/usr/local/cuda-12.10/x", "/usr/local/cuda-13.0/x",
                                 "/usr/local/cuda-11.8/x", "/usr/local/bin/x"])
        #expect(LibrarySearch.versionedToolkits(fileSystem: fs) == [
            "/usr/local/cuda-13.0", "/usr/local/cuda-12.10", "/usr/local/cuda-12.9", "/usr/local/cuda-11.8"])
    }

    @Test func headersBesideTheLibraryComeFirst() {
        let toolkit = "/usr/local/cuda-13.0/targets/x86_64-linux"
        let files = [toolkit + "/include/cuda_fp16.h", site + "/nvidia/cu13/include/cuda_fp16.h",
                     "/opt/cuda/include/cuda_fp16.h"]
        let fs = fakeFileSystem(files)
        #expect(LibrarySearch.headerFolder(nvrtcPath: toolkit + "/lib/libnvrtc.so.13", environment: ["CUDA_HOME": "/opt/cuda"],
                                           fileSystem: fs, sitePackages: [site]) == toolkit + "/include")
        #expect(LibrarySearch.headerFolder(nvrtcPath: site + "/nvidia/cu13/lib/libnvrtc.so.13", environment: [:],
                                           fileSystem: fs, sitePackages: [site]) == site + "/nvidia/cu13/include")
        #expect(LibrarySearch.headerFolder(nvrtcPath: "libnvrtc.so.13", environment: ["CUDA_HOME": "/opt/cuda"],
                                           fileSystem: fs, sitePackages: [site]) == "/opt/cuda/include")
        // A soname with no CUDA_HOME falls through to the versioned toolkit.
        #expect(LibrarySearch.headerFolder(nvrtcPath: "libnvrtc.so.13", environment: [:], fileSystem: fs,
                                           sitePackages: []) == toolkit + "/include")
        #expect(LibrarySearch.headerFolder(nvrtcPath: nil, environment: [:], fileSystem: fakeFileSystem([]),
                                           sitePackages: [site]) == nil)
    }

    @Test func legacyRuntimeWheelHeaders() {
        let fs = fakeFileSystem([site + "/nvidia/cuda_runtime/include/cuda_fp16.h"])
        #expect(LibrarySearch.headerFolder(nvrtcPath: site + "/nvidia/cuda_nvrtc/lib/libnvrtc.so.12", environment: [:],
                                           fileSystem: fs, sitePackages: [site]) == site + "/nvidia/cuda_runtime/include")
    }

    @Test func sitePackagesFromEnvironmentAndPyenv() {
        let files = ["/v/lib/python3.12/site-packages/a", "/h/.pyenv/versions/3.11.7/lib/python3.11/site-packages/a",
                     "/h/.local/lib/python3.10/site-packages/a", "/usr/lib/python3/dist-packages/a", "/extra/a"]
        let folders = PythonSitePackages.folders(
            environment: ["VIRTUAL_ENV": "/v", "HOME": "/h", "SPARROW_PYTHON_SITE_PACKAGES": "/extra:/missing"],
            fileSystem: fakeFileSystem(files))
        #expect(folders == ["/extra", "/v/lib/python3.12/site-packages", "/h/.local/lib/python3.10/site-packages",
                            "/h/.pyenv/versions/3.11.7/lib/python3.11/site-packages", "/usr/lib/python3/dist-packages"])
    }

    @Test func parentFolder() {
        #expect(LibrarySearch.parent("/a/b/c.so") == "/a/b")
        #expect(LibrarySearch.parent("/a/b/") == "/a")
        #expect(LibrarySearch.parent("/c.so") == "/")
        #expect(LibrarySearch.parent("c.so") == ".")
    }

    @Test func missingLibraryReportsPlacesTried() {
        let load = LibraryLoader.load(.cusparse, environment: ["SPARROW_CUSPARSE": "/definitely/not/libcusparse.so.12"])
        if load.library == nil {
            #expect(load.failureReason.contains("/definitely/not/libcusparse.so.12"))
            #expect(load.failureReason.contains("last error"))
        } else {
            // A machine with cuSPARSE installed found it further down the list.
            #expect(load.attempts.first?.error != nil)
        }
    }
}

@Suite struct CUSPARSELtDiscoveryTests {
    let site = "/home/u/.venv/lib/python3.12/site-packages"

    @Test func wheelFoldersAndTheExplicitVariable() {
        // nvidia-cusparselt-cu13 puts it in nvidia/cu13/lib, -cu12 in nvidia/cusparselt/lib.
        let cu12 = fakeFileSystem([site + "/nvidia/cusparselt/lib/libcusparseLt.so.0"])
        #expect(LibrarySearch.candidates(for: .cusparseLt, environment: [:], fileSystem: cu12, sitePackages: [site]).map(\.path)
                == [site + "/nvidia/cusparselt/lib/libcusparseLt.so.0", "libcusparseLt.so.0", "libcusparseLt.so"])
        let cu13 = fakeFileSystem([site + "/nvidia/cu13/lib/libcusparseLt.so.0"])
        #expect(LibrarySearch.candidates(for: .cusparseLt, environment: [:], fileSystem: cu13, sitePackages: [site]).first?.path
                == site + "/nvidia/cu13/lib/libcusparseLt.so.0")
        let explicit = LibrarySearch.candidates(
            for: .cusparseLt, environment: ["SPARROW_CUSPARSELT": "/opt/lt"], fileSystem: fakeFileSystem([]), sitePackages: [])
        #expect(explicit.first == LibraryCandidate(path: "/opt/lt/libcusparseLt.so.0", origin: "SPARROW_CUSPARSELT"))
    }

    @Test func doctorReportsAMissingLibraryWithItsReasonAndAFoundOneWithPathAndVersion() {
        let missing = CUDAEnvironment.report(
            "libcusparseLt", Result<String, CUDAError>.failure(.libraryMissing(library: "libcusparseLt", reason: "not in nvidia/cu13/lib")),
            path: { $0 }, version: { _ in "0.10.0" })
        #expect(!missing.found && missing.path == nil && missing.reason?.contains("not in nvidia/cu13/lib") == true)
        let found = CUDAEnvironment.report("libcusparseLt", Result<String, CUDAError>.success("/x/libcusparseLt.so.0"),
                                           path: { $0 }, version: { _ in "0.10.0" })
        #expect(found == LibraryReport(name: "libcusparseLt", found: true, path: "/x/libcusparseLt.so.0", version: "0.10.0", reason: nil))
        // The real probe lists it whatever the machine has.
        #expect(CUDAEnvironment.probe().cusparseLt?.name == "libcusparseLt")
    }
}
