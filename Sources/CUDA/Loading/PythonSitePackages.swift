/// Where Python's site-packages folders usually are, found without running Python.
///
/// PyPI wheels (`nvidia-cuda-nvrtc`, `nvidia-cuda-runtime`, `nvidia-cublas`, `nvidia-cusparse`)
/// are how CI and many users get NVRTC and the headers, so their folders are part of the search.
package enum PythonSitePackages {
    /// Existing site-packages (or dist-packages) folders, in order:
    /// `SPARROW_PYTHON_SITE_PACKAGES` (colon-separated), `PYTHONPATH`, `VIRTUAL_ENV`,
    /// `CONDA_PREFIX`, `~/.local`, pyenv versions under `~/.pyenv/versions` (or `PYENV_ROOT`),
    /// `/usr/local/lib/python3.*`, `/usr/lib/python3*`.
    package static func folders(environment: [String: String], fileSystem: FileSystemProbe) -> [String] {
        var result: [String] = []
        for variable in ["SPARROW_PYTHON_SITE_PACKAGES", "PYTHONPATH"] {
            for entry in (environment[variable] ?? "").split(separator: ":") where !entry.isEmpty {
                result.append(String(entry))
            }
        }
        var prefixes: [String] = []
        if let venv = environment["VIRTUAL_ENV"], !venv.isEmpty { prefixes.append(venv) }
        if let conda = environment["CONDA_PREFIX"], !conda.isEmpty { prefixes.append(conda) }
        if let home = environment["HOME"], !home.isEmpty { prefixes.append(home + "/.local") }
        let pyenvRoot = environment["PYENV_ROOT"] ?? environment["HOME"].map { $0 + "/.pyenv" }
        if let pyenvRoot {
            let versions = pyenvRoot + "/versions"
            for version in fileSystem.listDirectory(versions).sorted(by: >) {
                prefixes.append(versions + "/" + version)
            }
        }
        prefixes.append("/usr/local")
        prefixes.append("/usr")
        for prefix in prefixes {
            let lib = prefix + "/lib"
            for python in fileSystem.listDirectory(lib).filter({ $0.hasPrefix("python3") }).sorted(by: >) {
                for leaf in ["site-packages", "dist-packages"] {
                    result.append(lib + "/" + python + "/" + leaf)
                }
            }
        }
        var seen = Set<String>()
        return result.filter { fileSystem.fileExists($0) && seen.insert($0).inserted }
    }
}
