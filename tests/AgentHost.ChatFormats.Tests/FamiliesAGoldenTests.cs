namespace AgentHost.ChatFormats.Tests;

/// <summary>
/// llama.cpp's golden cases (test-chat.cpp and own cases) for the GLM, Kimi, DeepSeek, MiniMax, Ling, Seed-OSS,
/// MiniCPM5, Muse Glimmer, Nemotron v2, Apertus, Reka and MiMo-VL families.
/// </summary>
public class FamiliesAGoldenTests
{
    /// <summary>
    /// Cases whose grammar check is known to differ, and why. The message still has to match.
    /// </summary>
    private static readonly Dictionary<string, string> KnownGrammarDifferences = new()
    {
        // {"type":"object"} without properties: AgentHost.Grammar closes it to "{}" (JsonSchemaGrammarOptions:
        // AdditionalPropertiesByDefault false), llama.cpp allows any object.
        ["llama:Spark2.5.jinja#5"] = "free-form object argument",
        ["llama:deepseek-ai-DeepSeek-V3.2.jinja#10"] = "free-form object argument",
        // The call opener appears inside the thinking: the test's trigger search starts the grammar there, where a
        // sampler that ignores triggers inside thinking (ThinkingStartTag/ThinkingEndTags) would not.
        ["llama:Reka-Edge.jinja#9"] = "trigger inside thinking",
    };

    private static void Check(string id) => FamilyGoldenCases.Check(id, !KnownGrammarDifferences.ContainsKey(id));

    public static TheoryData<string> Glm => FamilyGoldenCases.Ids("GLM-4.6", "GLM-4.7-Flash", "Spark2.5");

    [Theory]
    [MemberData(nameof(Glm))]
    public void Glm_cases(string id) => Check(id);

    public static TheoryData<string> KimiK2 => FamilyGoldenCases.Ids("Kimi-K2-Instruct", "Kimi-K2-Thinking", "moonshotai-Kimi-K2");

    [Theory]
    [MemberData(nameof(KimiK2))]
    public void Kimi_k2_cases(string id) => Check(id);

    public static TheoryData<string> KimiK3 => FamilyGoldenCases.Ids("Kimi-K3");

    [Theory]
    [MemberData(nameof(KimiK3))]
    public void Kimi_k3_cases(string id) => Check(id);

    public static TheoryData<string> DeepSeekDsml => FamilyGoldenCases.Ids("deepseek-ai-DeepSeek-V3.2", "deepseek-ai-DeepSeek-V4", "deepseek-ai-DeepSeek-V4-Flash-0731");

    [Theory]
    [MemberData(nameof(DeepSeekDsml))]
    public void Deepseek_dsml_cases(string id) => Check(id);

    public static TheoryData<string> DeepSeek => FamilyGoldenCases.Ids("deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "llama-cpp-deepseek-r1", "deepseek-ai-DeepSeek-V3.1");

    [Theory]
    [MemberData(nameof(DeepSeek))]
    public void Deepseek_cases(string id) => Check(id);

    public static TheoryData<string> SeedOss => FamilyGoldenCases.Ids("ByteDance-Seed-OSS");

    [Theory]
    [MemberData(nameof(SeedOss))]
    public void Seed_oss_cases(string id) => Check(id);

    public static TheoryData<string> MiniMax => FamilyGoldenCases.Ids("MiniMax-M1", "MiniMax-M2");

    [Theory]
    [MemberData(nameof(MiniMax))]
    public void Minimax_m1_m2_cases(string id) => Check(id);

    public static TheoryData<string> Ling3 => FamilyGoldenCases.Ids("inclusionai-ling-3.0-flash");

    [Theory]
    [MemberData(nameof(Ling3))]
    public void Ling3_cases(string id) => Check(id);

    public static TheoryData<string> MiniCpm5 => FamilyGoldenCases.Ids("openbmb-MiniCPM5-1B");

    [Theory]
    [MemberData(nameof(MiniCpm5))]
    public void Minicpm5_cases(string id) => Check(id);

    public static TheoryData<string> MuseGlimmer => FamilyGoldenCases.Ids("muse-glimmer");

    [Theory]
    [MemberData(nameof(MuseGlimmer))]
    public void Muse_glimmer_cases(string id) => Check(id);

    public static TheoryData<string> NemotronV2Apertus => FamilyGoldenCases.Ids("NVIDIA-Nemotron-Nano-v2", "Apertus-8B-Instruct");

    [Theory]
    [MemberData(nameof(NemotronV2Apertus))]
    public void Nemotron_v2_apertus_cases(string id) => Check(id);

    public static TheoryData<string> Reka => FamilyGoldenCases.Ids("Reka-Edge");

    [Theory]
    [MemberData(nameof(Reka))]
    public void Reka_cases(string id) => Check(id);

    public static TheoryData<string> MiniMaxM3 => FamilyGoldenCases.Ids("MiniMax-M3");

    [Theory]
    [MemberData(nameof(MiniMaxM3))]
    public void Minimax_m3_cases(string id) => Check(id);
}
