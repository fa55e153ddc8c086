namespace AgentHost.Gguf;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a fixed, documented generator, so the same seed gives the same weights on
/// every .NET version and machine (System.Random makes no such promise).
/// </summary>
internal struct DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DeterministicRandom(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>A generator for one named stream (e.g. one tensor) of a seed, independent of the order streams are used in.</summary>
    public static DeterministicRandom ForStream(ulong seed, string streamName)
    {
        var hash = 14695981039346656037UL; // FNV-1a 64 over the UTF-16 code units
        foreach (var c in streamName)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        var mixed = seed ^ hash;
        return new DeterministicRandom(SplitMix64(ref mixed));
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with values uniform in [center - halfRange, center + halfRange).</summary>
    public void FillUniform(Span<float> destination, float center, float halfRange)
    {
        const float unit = 1f / (1 << 24);
        for (var i = 0; i < destination.Length; i++)
        {
            var u = (NextUInt64() >> 40) * unit; // 24 random bits: exact in a float, in [0, 1)
            destination[i] = center + (2f * u - 1f) * halfRange;
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
