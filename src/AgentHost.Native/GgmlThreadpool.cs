using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>
/// A persistent ggml CPU threadpool attached to a context. Without one, ggml creates and joins a fresh set of
/// threads for every llama_decode, which costs more than the whole forward pass of a small model. The functions
/// live in the dynamically loaded CPU backend, so they are found through ggml_backend_reg_get_proc_address.
/// </summary>
internal sealed unsafe class GgmlThreadpool : IDisposable
{
    private nint _pool;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _free;

    private GgmlThreadpool(nint pool, delegate* unmanaged[Cdecl]<nint, void> free)
    {
        _pool = pool;
        _free = free;
    }

    public nint Handle => _pool;

    /// <summary>A pool of <paramref name="threads"/> threads, or null when the CPU backend does not export the API.</summary>
    public static GgmlThreadpool? TryCreate(int threads, uint poll = 50)
    {
        var dev = NativeMethods.ggml_backend_dev_by_type(0 /* CPU */);
        if (dev == 0) return null;
        var reg = NativeMethods.ggml_backend_dev_backend_reg(dev);
        if (reg == 0) return null;
        var create = (delegate* unmanaged[Cdecl]<GgmlThreadpoolParams*, nint>)NativeMethods.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
        var free = (delegate* unmanaged[Cdecl]<nint, void>)NativeMethods.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
        if (create == null || free == null) return null;
        var p = NativeMethods.ggml_threadpool_params_default(threads);
        p.Poll = poll;
        var pool = create(&p);
        return pool == 0 ? null : new GgmlThreadpool(pool, free);
    }

    public void Dispose()
    {
        if (_pool == 0) return;
        _free(_pool);
        _pool = 0;
    }
}
