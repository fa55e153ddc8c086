using System.Reflection;
using System.Runtime.InteropServices;
using AgentHost.Native.Interop;
using Microsoft.Extensions.Logging;

namespace AgentHost.Native;

/// <summary>
/// Loads the llama.cpp runtime once per process: picks the folder (user build, CUDA build, or the CPU build next
/// to the app), resolves the logical library names of <see cref="NativeMethods"/> to it, loads the ggml backends
/// found there and initialises llama. Which backend was chosen, and why, is kept in <see cref="Selection"/>.
/// </summary>
public static class LlamaNativeLibrary
{
    private static readonly object Gate = new();
    private static NativeRuntimeOptions? _options;
    private static string? _directory;
    private static readonly Dictionary<string, nint> Loaded = new(StringComparer.Ordinal);

    /// <summary>What <see cref="EnsureLoaded"/> chose; null until it has run.</summary>
    public static BackendSelection? Selection { get; private set; }

    static LlamaNativeLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    /// <summary>
    /// Loads the runtime with <paramref name="options"/> the first time; later calls return the first selection
    /// (one process holds one llama.cpp runtime) and fail if they ask for an incompatible backend.
    /// </summary>
    public static BackendSelection EnsureLoaded(NativeRuntimeOptions? options = null, ILogger? logger = null)
    {
        options ??= new NativeRuntimeOptions();
        lock (Gate)
        {
            if (Selection is { } existing)
            {
                if (options.Backend == LlamaBackendKind.Cuda && !existing.UsesGpu)
                    throw new NativeLibraryException($"The llama.cpp runtime is already loaded with the {existing.Backend} backend in this process ({existing.Reason}); Backend=Cuda cannot be switched on afterwards.");
                return existing;
            }

            var selection = Select(options);
            _options = options;
            _directory = selection.LibraryDirectory;
            try
            {
                LlamaLog.Install(logger);
                NativeMethods.ggml_backend_load_all_from_path(selection.LibraryDirectory);
                NativeMethods.llama_backend_init();
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                _directory = null;
                throw new NativeLibraryException(
                    $"Could not load the llama.cpp runtime from '{selection.LibraryDirectory}': {ex.Message}. " +
                    "Rebuild the app (dotnet build fetches @node-llama-cpp/linux-x64@3.22.1 with npm) or set NativeLibraryPath to a folder with libllama.so and libggml*.so.", ex);
            }

            var devices = Devices();
            var gpu = devices.FirstOrDefault(d => d.Kind is DeviceKind.Gpu or DeviceKind.IntegratedGpu);
            if (options.Backend == LlamaBackendKind.Cuda && gpu is null)
                throw new NativeLibraryException(
                    $"Backend=Cuda was requested but the CUDA backend in '{selection.LibraryDirectory}' found no GPU device " +
                    $"(devices: {string.Join(", ", devices.Select(d => d.Name))}). Use Backend=Auto or Cpu on this machine.");

            selection = selection with
            {
                Devices = devices,
                UsesGpu = gpu is not null,
                Backend = gpu is not null ? LlamaBackendKind.Cuda : LlamaBackendKind.Cpu,
                Reason = gpu is not null ? $"{selection.Reason}; GPU device {gpu.Name} ({gpu.Description})" : selection.Reason,
            };
            Selection = selection;
            logger?.LogInformation("llama.cpp backend: {Backend} ({Reason}); libraries from {Dir}", selection.Backend, selection.Reason, selection.LibraryDirectory);
            return selection;
        }
    }

    /// <summary>The ggml devices the loaded backends expose.</summary>
    public static unsafe IReadOnlyList<BackendDevice> Devices()
    {
        var list = new List<BackendDevice>();
        var count = (int)NativeMethods.ggml_backend_dev_count();
        for (var i = 0; i < count; i++)
        {
            var dev = NativeMethods.ggml_backend_dev_get((nuint)i);
            nuint free = 0, total = 0;
            NativeMethods.ggml_backend_dev_memory(dev, &free, &total);
            list.Add(new BackendDevice(
                Utf8.FromNative(NativeMethods.ggml_backend_dev_name(dev)),
                Utf8.FromNative(NativeMethods.ggml_backend_dev_description(dev)),
                (DeviceKind)NativeMethods.ggml_backend_dev_type(dev),
                (long)free, (long)total));
        }
        return list;
    }

    private static BackendSelection Select(NativeRuntimeOptions options)
    {
        var appDir = AppContext.BaseDirectory;
        if (!string.IsNullOrWhiteSpace(options.NativeLibraryPath))
        {
            var dir = Path.GetFullPath(options.NativeLibraryPath);
            if (FindLibrary(dir, "llama") is null)
                throw new NativeLibraryException($"NativeLibraryPath '{dir}' holds no libllama.so (or libllama.v*.so). Point it at the folder of your llama.cpp build's shared libraries.");
            return new BackendSelection(options.Backend, dir, "NativeLibraryPath set by the user");
        }

        if (options.Backend is LlamaBackendKind.Cuda or LlamaBackendKind.Auto)
        {
            var cudaDir = new[] { options.CudaLibraryPath, Path.Combine(appDir, "cuda"), CacheDirectory("native/linux-x64-cuda-3.22.1") }
                .FirstOrDefault(d => d is not null && File.Exists(Path.Combine(d, "libggml-cuda.so")));
            string? why;
            if (cudaDir is null)
                why = "no CUDA build of llama.cpp found (build with -p:AgentHostFetchCuda=true, or run build/fetch-llama.sh cuda)";
            else if (!CudaRuntimePresent(out var missing))
                why = $"the CUDA build is present but {missing} cannot be loaded (install the CUDA 13 runtime or add its folder to LD_LIBRARY_PATH)";
            else
                return new BackendSelection(LlamaBackendKind.Cuda, cudaDir, "CUDA build and CUDA runtime found");

            if (options.Backend == LlamaBackendKind.Cuda)
                throw new NativeLibraryException($"Backend=Cuda cannot be used: {why}.");
            return new BackendSelection(LlamaBackendKind.Cpu, RequireCpuDir(appDir), $"CPU: {why}");
        }

        return new BackendSelection(LlamaBackendKind.Cpu, RequireCpuDir(appDir), "Backend=Cpu requested");
    }

    private static string RequireCpuDir(string appDir)
    {
        foreach (var dir in new[] { appDir, CacheDirectory("native/linux-x64-3.22.1") })
            if (FindLibrary(dir, "llama") is not null) return dir;
        throw new NativeLibraryException(
            $"The llama.cpp runtime (libllama.v0.5.0.so) is not next to the app in '{appDir}'. " +
            "Run 'dotnet build' (it fetches @node-llama-cpp/linux-x64@3.22.1 from the npm registry; npm must be installed), " +
            "or run build/fetch-llama.sh runtime, or set NativeLibraryPath to a folder with your own libllama.so.");
    }

    /// <summary>
    /// Makes the CUDA 13 runtime libraries the CUDA build needs loadable: from the loader's own search path, else from
    /// a CUDA install or the Python NVIDIA wheels (nvidia/cuda_runtime, nvidia/cublas). Loading them by full path
    /// first lets libggml-cuda.so resolve them by soname later.
    /// </summary>
    private static bool CudaRuntimePresent(out string missing)
    {
        foreach (var lib in new[] { "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13" })
        {
            if (NativeLibrary.TryLoad(lib, out _)) continue;
            var found = CudaSearchDirectories().Select(d => Path.Combine(d, lib)).FirstOrDefault(File.Exists);
            if (found is null || !NativeLibrary.TryLoad(found, out _)) { missing = lib; return false; }
        }
        missing = "";
        return true;
    }

    private static IEnumerable<string> CudaSearchDirectories()
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("CUDA_PATH") is { Length: > 0 } cudaPath) dirs.Add(Path.Combine(cudaPath, "lib64"));
        dirs.Add("/usr/local/cuda/lib64");
        if (Directory.Exists("/usr/local")) dirs.AddRange(Directory.EnumerateDirectories("/usr/local", "cuda-13*").Select(d => Path.Combine(d, "lib64")));
        dirs.Add("/usr/lib/x86_64-linux-gnu");
        // pip's nvidia-cuda-runtime-cu13 / nvidia-cublas-cu13 wheels, in any site-packages we can find.
        foreach (var root in new[] { "/usr/local/lib", "/usr/lib", "/opt/conda/lib", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/lib") })
        {
            if (!Directory.Exists(root)) continue;
            foreach (var py in Directory.EnumerateDirectories(root, "python3*"))
                foreach (var site in new[] { "site-packages", "dist-packages" })
                    foreach (var pkg in new[] { "nvidia/cuda_runtime/lib", "nvidia/cublas/lib", "nvidia/cu13/lib" })
                        dirs.Add(Path.Combine(py, site, pkg));
        }
        return dirs.Where(Directory.Exists);
    }

    private static string CacheDirectory(string relative)
    {
        var root = Environment.GetEnvironmentVariable("AGENTHOST_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "agenthost");
        return Path.Combine(root, relative);
    }

    private static string? FindLibrary(string dir, string logicalName)
    {
        if (!Directory.Exists(dir)) return null;
        foreach (var candidate in new[] { $"lib{logicalName}.v0.5.0.so", $"lib{logicalName}.so" })
        {
            var path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        return Directory.EnumerateFiles(dir, $"lib{logicalName}.*so*").FirstOrDefault(f => !Path.GetFileName(f).StartsWith($"lib{logicalName}-", StringComparison.Ordinal));
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(name, out var handle)) return handle;
            var dir = _directory ?? Select(_options ?? new NativeRuntimeOptions()).LibraryDirectory;
            var path = FindLibrary(dir, name)
                ?? throw new NativeLibraryException($"lib{name}.so not found in '{dir}'. The llama.cpp runtime there is incomplete; rebuild or set NativeLibraryPath.");
            handle = NativeLibrary.Load(path);
            Loaded[name] = handle;
            return handle;
        }
    }
}

/// <summary>The kind of a ggml device, as ggml_backend_dev_type reports it.</summary>
public enum DeviceKind { Cpu = 0, Gpu = 1, IntegratedGpu = 2, Accelerator = 3 }

/// <summary>A ggml compute device.</summary>
public sealed record BackendDevice(string Name, string Description, DeviceKind Kind, long FreeBytes, long TotalBytes);

/// <summary>The backend the process uses, the folder its libraries came from, and why it was chosen.</summary>
public sealed record BackendSelection(LlamaBackendKind Backend, string LibraryDirectory, string Reason)
{
    public bool UsesGpu { get; init; }
    public IReadOnlyList<BackendDevice> Devices { get; init; } = [];
}
