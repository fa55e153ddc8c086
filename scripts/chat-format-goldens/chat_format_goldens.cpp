// Records llama.cpp v0.5.0's chat-format behaviour (rendering, generation grammar, output parsing) as
// test data for AgentHost.ChatFormats. See README.md in this folder.
//
// Not compiled alone: derive-recorder.awk copies llama.cpp's tests/test-chat.cpp, makes every
// peg_test_builder::run() call record_peg_case() below (which records the case and runs llama.cpp's
// own check of it, catching a failure instead of stopping), and #includes this file at the end, so the cases, tools and helpers of test-chat.cpp (test_peg_parser,
// assert_msg_equals, message_user...) are in scope here.
//
// usage: chat_format_goldens <out_dir> <bos_token> <eos_token>   (run in the llama.cpp source root)
//
// out_dir/llama-peg-cases.json  every case of test_template_output_peg_parsers, as it ran
// out_dir/template-cases.json   our cases: five assistant turns per template, rendered and parsed
// out_dir/templates.json        per template: capabilities, the format/parser llama.cpp chose
//
// The wall clock is pinned (FIXED_EPOCH) and the script runs this with TZ=UTC: some templates print
// the date. common_log_add is interposed too: llama.cpp names the specialized parser it picks only in
// a debug log line, and a failing assertion explains itself only in error log lines.

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

// 2025-03-14T15:09:26Z, the instant scripts/template-goldens uses as well.
static const time_t FIXED_EPOCH = 1741964966;

extern "C" time_t time(time_t * out) {
    if (out) {
        *out = FIXED_EPOCH;
    }
    return FIXED_EPOCH;
}

extern "C" int clock_gettime(clockid_t clock, struct timespec * ts) {
    if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE) {
        ts->tv_sec  = FIXED_EPOCH;
        ts->tv_nsec = 0;
        return 0;
    }
    return (int) syscall(SYS_clock_gettime, clock, ts);
}

// ---- log capture -------------------------------------------------------------------------------

static std::string g_log;         // everything logged since the last clear
static std::string g_log_errors;  // error lines since the last clear
static std::string g_log_label;   // the case being recorded, prefixed to forwarded warnings

// Replaces llama.cpp's logger (the executable's definition wins over libllama-common's): messages are
// kept for inspection, and only warnings and errors go to stderr, labelled with the current case.
void common_log_add(struct common_log * /* log */, enum ggml_log_level level, const char * fmt, ...) {
    va_list args;
    va_start(args, fmt);
    va_list copy;
    va_copy(copy, args);
    const int n = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    std::string text(n > 0 ? (size_t) n : 0, '\0');
    if (n > 0) {
        vsnprintf(text.data(), (size_t) n + 1, fmt, args);
    }
    va_end(args);
    g_log += text;
    if (level == GGML_LOG_LEVEL_ERROR) {
        g_log_errors += text;
    }
    if (level == GGML_LOG_LEVEL_WARN || level == GGML_LOG_LEVEL_ERROR) {
        fprintf(stderr, "[%s] %s%s", g_log_label.c_str(), level == GGML_LOG_LEVEL_ERROR ? "E " : "W ", text.c_str());
    }
}

// ---- JSON shapes -------------------------------------------------------------------------------

static json message_json(const common_chat_msg & msg) {
    json parts = json::array();
    for (const auto & part : msg.content_parts) {
        parts.push_back(json::object({ { "type", part.type }, { "text", part.text } }));
    }
    json calls = json::array();
    for (const auto & call : msg.tool_calls) {
        calls.push_back(json::object({ { "id", call.id }, { "name", call.name }, { "arguments", call.arguments } }));
    }
    return json::object({
        { "role", msg.role },
        { "content", msg.content },
        { "content_parts", parts },
        { "reasoning_content", msg.reasoning_content },
        { "tool_calls", calls },
    });
}

static const char * tool_choice_name(common_chat_tool_choice choice) {
    switch (choice) {
        case COMMON_CHAT_TOOL_CHOICE_AUTO:     return "auto";
        case COMMON_CHAT_TOOL_CHOICE_REQUIRED: return "required";
        case COMMON_CHAT_TOOL_CHOICE_NONE:     return "none";
    }
    throw std::runtime_error("unknown tool_choice");
}

static const char * continuation_name(common_chat_continuation cont) {
    switch (cont) {
        case COMMON_CHAT_CONTINUATION_NONE:      return "none";
        case COMMON_CHAT_CONTINUATION_AUTO:      return "auto";
        case COMMON_CHAT_CONTINUATION_REASONING: return "reasoning";
        case COMMON_CHAT_CONTINUATION_CONTENT:   return "content";
    }
    throw std::runtime_error("unknown continue_final_message");
}

static const char * trigger_type_name(common_grammar_trigger_type type) {
    switch (type) {
        case COMMON_GRAMMAR_TRIGGER_TYPE_TOKEN:        return "token";
        case COMMON_GRAMMAR_TRIGGER_TYPE_WORD:         return "word";
        case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN:      return "pattern";
        case COMMON_GRAMMAR_TRIGGER_TYPE_PATTERN_FULL: return "pattern_full";
    }
    throw std::runtime_error("unknown grammar trigger type");
}

static json inputs_json(const common_chat_templates_inputs & in, bool is_partial) {
    json kwargs = json::object();
    for (const auto & [key, value] : in.chat_template_kwargs) {
        kwargs[key] = json::parse(value);
    }
    return json::object({
        { "messages", common_chat_msgs_to_json_oaicompat(in.messages) },
        { "tools", in.tools.empty() ? json() : common_chat_tools_to_json_oaicompat(in.tools) },
        { "tool_choice", tool_choice_name(in.tool_choice) },
        { "reasoning_format", common_reasoning_format_name(in.reasoning_format) },
        { "enable_thinking", in.enable_thinking },
        { "parallel_tool_calls", in.parallel_tool_calls },
        { "json_schema", in.json_schema.empty() ? json() : json::parse(in.json_schema) },
        { "add_generation_prompt", in.add_generation_prompt },
        { "continue_final_message", continuation_name(in.continue_final_message) },
        { "chat_template_kwargs", kwargs },
        { "is_partial", is_partial },
    });
}

static std::vector<std::string> split_lines(const std::string & text) {
    std::vector<std::string> lines;
    size_t start = 0;
    for (;;) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            lines.push_back(text.substr(start));
            return lines;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

// Grammars repeat across cases: each distinct text is stored once, as its lines (joined with "\n" they
// give the exact text back; a diff then shows the rules that changed, not one long string).
struct grammar_table {
    std::vector<std::string>      texts;
    std::map<std::string, size_t> index;

    json ref(const std::string & grammar) {
        if (grammar.empty()) {
            return json();
        }
        auto it = index.find(grammar);
        if (it == index.end()) {
            it = index.emplace(grammar, texts.size()).first;
            texts.push_back(grammar);
        }
        return json(it->second);
    }

    json to_json() const {
        json all = json::array();
        for (const auto & text : texts) {
            all.push_back(split_lines(text));
        }
        return all;
    }
};

// ---- llama.cpp calls ---------------------------------------------------------------------------

struct applied_template {
    bool               ok = false;
    common_chat_params params;
    std::string        parser_name;  // the specialized handler, "autoparser", or "" when unknown
    std::string        error;
};

static std::string parser_name_from_log(const std::string & log, common_chat_format format) {
    static const std::string specialized = "Using specialized template: ";
    const size_t pos = log.find(specialized);
    if (pos != std::string::npos) {
        const size_t start = pos + specialized.size();
        return log.substr(start, log.find('\n', start) - start);
    }
    if (log.find("using differential autoparser") != std::string::npos) {
        return "autoparser";
    }
    if (format == COMMON_CHAT_FORMAT_PEG_GEMMA4) {
        return "Gemma 4";  // the one specialized handler that logs no name
    }
    return "";
}

static applied_template apply_template(const common_chat_templates * tmpls, const common_chat_templates_inputs & inputs) {
    applied_template result;
    g_log.clear();
    try {
        result.params = common_chat_templates_apply(tmpls, inputs);
        result.ok     = true;
    } catch (const std::exception & e) {
        result.error = e.what();
    }
    result.parser_name = parser_name_from_log(g_log, result.params.format);
    return result;
}

static json chat_params_json(const applied_template & applied, grammar_table & grammars) {
    const auto & p = applied.params;
    json triggers = json::array();
    for (const auto & trigger : p.grammar_triggers) {
        triggers.push_back(json::object({ { "type", trigger_type_name(trigger.type) }, { "value", trigger.value } }));
    }
    return json::object({
        { "format", common_chat_format_name(p.format) },
        { "parser", applied.parser_name },
        { "prompt", p.prompt },
        { "generation_prompt", p.generation_prompt },
        { "grammar", grammars.ref(p.grammar) },
        { "grammar_lazy", p.grammar_lazy },
        { "grammar_triggers", triggers },
        { "supports_thinking", p.supports_thinking },
        { "thinking_start_tag", p.thinking_start_tag },
        { "thinking_end_tags", p.thinking_end_tags },
        { "preserved_tokens", p.preserved_tokens },
        { "additional_stops", p.additional_stops },
    });
}

// What llama-server does with the chat params once the model output is complete (or cut, is_partial).
static common_chat_msg parse_output(const common_chat_params & params, const std::string & output, bool is_partial) {
    common_peg_arena arena;
    if (!params.parser.empty()) {
        arena.load(params.parser);
    }
    common_chat_parser_params parser_params(params);
    return common_chat_peg_parse(arena, output, is_partial, parser_params);
}

// test_peg_parser is llama.cpp's own check of a case: every prefix parsed incrementally agrees with
// the whole parse, the message equals the expected one, and the grammar (with its triggers) accepts
// the output. Returns {"passed", "error"}; the error keeps the log lines the assertions wrote.
static json run_llama_check(common_chat_templates * tmpls, const peg_test_case & tc) {
    g_log_errors.clear();
    try {
        test_peg_parser(tmpls, [&](peg_test_case & t) { t = tc; }, /* detailed_debug = */ false);
        return json::object({ { "passed", true }, { "error", json() } });
    } catch (const std::exception & e) {
        std::string error = e.what();
        if (!g_log_errors.empty()) {
            error += "\n" + g_log_errors;
        }
        return json::object({ { "passed", false }, { "error", error } });
    }
}

// Records chat_params, llama.cpp's parse of the whole output and how it compares with the expected
// message, and llama.cpp's harness run with the expectation set to that parse ("self_check": streaming
// consistency and grammar acceptance alone).
// Without a case (tc == nullptr, nothing to parse) only chat_params is recorded.
static void record_outcome(json & rec, common_chat_templates * tmpls, const applied_template & applied,
                           const peg_test_case * tc_or_null, bool ignore_ids, grammar_table & grammars) {
    rec["chat_params"]       = applied.ok ? chat_params_json(applied, grammars) : json();
    rec["chat_params_error"] = applied.ok ? json() : json(applied.error);
    rec["parsed"]            = json();
    rec["parse_error"]       = json();
    rec["parsed_matches_expected"] = false;
    rec["parsed_equals_expected"]  = false;
    rec["self_check"]        = json();
    if (!applied.ok || tc_or_null == nullptr) {
        return;
    }
    const peg_test_case & tc = *tc_or_null;
    common_chat_msg parsed;
    try {
        parsed = parse_output(applied.params, tc.input, tc.is_partial);
    } catch (const std::exception & e) {
        rec["parse_error"] = std::string(e.what());
        return;
    }
    rec["parsed"] = message_json(parsed);
    common_chat_msg compared = parsed;
    if (ignore_ids) {
        for (size_t i = 0; i < compared.tool_calls.size() && i < tc.expect.tool_calls.size(); i++) {
            compared.tool_calls[i].id = tc.expect.tool_calls[i].id;
        }
    }
    bool matches = true;
    try {
        assert_msg_equals(tc.expect, compared, /* ignore_whitespace_differences = */ true);
    } catch (const std::exception &) {
        matches = false;
    }
    rec["parsed_matches_expected"] = matches;
    rec["parsed_equals_expected"]  = compared == tc.expect;

    peg_test_case self = tc;
    self.expect                = parsed;
    self.expect_reconstruction = false;
    rec["self_check"]          = run_llama_check(tmpls, self);
}

// ---- llama.cpp's cases -------------------------------------------------------------------------

static json                       g_peg_cases = json::array();
static grammar_table              g_peg_grammars;
static std::map<std::string, int> g_peg_case_counts;  // per template file name
static int                        g_missing_lines = 0;

static void record_peg_case(const std::string & template_path, common_chat_templates * tmpls, const peg_test_case & tc_in, int line) {
    // the defaults test_peg_parser fills in
    peg_test_case tc = tc_in;
    if (tc.params.messages.empty()) {
        tc.params.messages = { message_user };
    }
    if (tc.expect.role.empty()) {
        tc.expect.role = "assistant";
    }
    const std::string name = fs::path(template_path).filename().string();
    const std::string id   = name + "#" + std::to_string(g_peg_case_counts[name]++);
    if (line <= 0) {
        fprintf(stderr, "%s: a run() call the recorder derivation missed (no source line)\n", id.c_str());
        g_missing_lines++;
    }
    g_log_label            = id;

    json rec = json::object();
    rec["id"]                    = id;
    rec["template"]              = name;
    rec["source_line"]           = line;
    rec["inputs"]                = inputs_json(tc.params, tc.is_partial);
    rec["input"]                 = tc.input;
    rec["expected"]              = message_json(tc.expect);
    rec["expect_reconstruction"] = tc.expect_reconstruction;
    rec["llama_test"]            = run_llama_check(tmpls, tc_in);
    record_outcome(rec, tmpls, apply_template(tmpls, tc.params), &tc, /* ignore_ids = */ false, g_peg_grammars);
    g_peg_cases.push_back(rec);
}

// ---- our cases: what each template writes for an assistant turn --------------------------------

static const char * OWN_TOOLS = R"([
  {"type": "function", "function": {
    "name": "lookup_order",
    "description": "Look up an order by its id.",
    "parameters": {"type": "object", "properties": {"order_id": {"type": "string", "description": "The order id, e.g. A-1001."}}, "required": ["order_id"]}}},
  {"type": "function", "function": {
    "name": "set_flags",
    "description": "Set flags on the order being discussed.",
    "parameters": {"type": "object", "properties": {"urgent": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}}}, "required": ["urgent", "tags"]}}}
])";

struct own_variant {
    const char *    name;
    common_chat_msg message;
};

static std::vector<own_variant> own_variants() {
    auto assistant = [](const std::string & content, const std::string & reasoning, std::vector<common_chat_tool_call> calls) {
        common_chat_msg msg;
        msg.role              = "assistant";
        msg.content           = content;
        msg.reasoning_content = reasoning;
        msg.tool_calls        = std::move(calls);
        return msg;
    };
    // nine alphanumeric characters: the Mistral templates reject any other id
    const common_chat_tool_call lookup { "lookup_order", R"({"order_id": "A-1001"})", "A1b2C3d4E" };
    const common_chat_tool_call flags { "set_flags", R"({"urgent": true, "tags": ["damage", "退款"]})", "F5g6H7i8J" };
    return {
        { "content", assistant("Order A-1001 shipped yesterday and should arrive on Friday.", "", {}) },
        { "tool_call", assistant("", "", { lookup }) },
        { "parallel_tool_calls", assistant("", "", { lookup, flags }) },
        { "reasoning_tool_call", assistant("", "The user asks about order A-1001, so I look it up first.", { lookup }) },
        { "reasoning_content", assistant("Order A-1001 shipped yesterday and should arrive on Friday.", "The user asks where order A-1001 is; it shipped yesterday.", {}) },
    };
}

// The end-of-turn text a template writes after an assistant turn: a model ends its turn with the
// end-of-generation token instead, which llama-server never passes to the parser, and some templates
// also open the next assistant turn. Neither is model output. Listed by hand from the 70 templates
// (each case records what was cut in end_of_turn; README.md says how to review it).
static const std::vector<std::string> END_OF_TURN_MARKERS = {
    "<|im_end|>", "<|eot_id|>", "<|eom_id|>", "</s>", "<|end|>", "<|return|>", "<|call|>",
    "<end_of_turn>", "<turn|>", "<|END_OF_TURN_TOKEN|>", "<｜end▁of▁sentence｜>", "<|endoftext|>",
    "<|end_of_text|>", "<|eot|>", "<|eom|>", "<|end_of_msg|>", "[e~[", "<seed:eos>", "<end_of_sentence>",
    "<SPECIAL_12>", "<sep>", "<|role_end|>", "</assistant>", "<｜hy_eos:opensource｜>", "<|message_sep|>",
    "<|assistant_end|>", "<|tool_response>",
    // the next assistant turn's header, written even with add_generation_prompt=false
    "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>", "<|start_header_id|>assistant<|end_header_id|>", "<|begin|>assistant",
};

// Splits a rendered assistant turn into the model output and the end-of-turn text: markers (the list
// above and the chat params' additional_stops) are cut from the end, repeatedly, together with the
// whitespace after each; whitespace before the innermost marker stays with the output.
static std::string split_end_of_turn(const std::string & turn, const std::vector<std::string> & stops,
                                     std::string & end_of_turn) {
    std::vector<std::string> markers = END_OF_TURN_MARKERS;
    markers.insert(markers.end(), stops.begin(), stops.end());
    size_t cut = turn.size();
    for (bool found = true; found;) {
        found = false;
        size_t end = cut;
        while (end > 0 && (turn[end - 1] == '\n' || turn[end - 1] == ' ' || turn[end - 1] == '\r' || turn[end - 1] == '\t')) {
            end--;
        }
        for (const auto & marker : markers) {
            if (!marker.empty() && end >= marker.size() && turn.compare(end - marker.size(), marker.size(), marker) == 0) {
                cut   = end - marker.size();
                found = true;
                break;
            }
        }
    }
    end_of_turn = turn.substr(cut);
    return turn.substr(0, cut);
}

static std::string read_text(const fs::path & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// One assistant turn as the template writes it: the conversation rendered with the turn
// (add_generation_prompt=false) minus the same conversation's generation prompt.
struct own_render {
    common_chat_templates_inputs inputs;    // the generation-prompt request (what the case parses with)
    applied_template             prompt;    // its chat params
    std::string                  turn;      // the text after the generation prompt
    std::string                  error;     // empty when turn is valid
    bool                         mismatch = false;  // rendered, but not an extension of the generation prompt
};

static own_render render_own_turn(const common_chat_templates * tmpls, const common_chat_templates_inputs & inputs,
                                  const common_chat_msg & turn) {
    own_render r;
    r.inputs = inputs;
    r.prompt = apply_template(tmpls, inputs);
    common_chat_templates_inputs with_turn = inputs;
    with_turn.messages.push_back(turn);
    with_turn.add_generation_prompt = false;
    const applied_template rendered = apply_template(tmpls, with_turn);
    if (!r.prompt.ok) {
        r.error = "generation prompt: " + r.prompt.error;
        return r;
    }
    if (!rendered.ok) {
        r.error = "assistant turn: " + rendered.error;
        return r;
    }
    const auto & a = r.prompt.params.prompt;
    const auto & b = rendered.params.prompt;
    if (b.compare(0, a.size(), a) != 0) {
        size_t at = 0;
        while (at < a.size() && at < b.size() && a[at] == b[at]) {
            at++;
        }
        const size_t from = at > 40 ? at - 40 : 0;
        r.mismatch = true;
        r.error = "the conversation with the assistant turn does not begin with the generation prompt; first difference at byte " +
                  std::to_string(at) + ": generation prompt ..." + json(a.substr(from, 80)).dump_safe() +
                  ", with the turn ..." + json(b.substr(from, 80)).dump_safe();
        return r;
    }
    r.turn = b.substr(a.size());
    return r;
}

static void record_own_cases(const fs::path & templates_dir, const std::string & bos, const std::string & eos,
                             json & templates_out, json & cases_out, grammar_table & grammars) {
    std::vector<fs::path> paths;
    for (const auto & entry : fs::directory_iterator(templates_dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".jinja") {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());

    const auto tools    = common_chat_tools_parse_oaicompat(json::parse(OWN_TOOLS));
    const auto variants = own_variants();
    common_chat_msg user;
    user.role    = "user";
    user.content = "Where is my order A-1001? Flag it urgent with the tags damage and 退款.";

    for (const auto & path : paths) {
        const std::string name = path.filename().string();
        g_log_label            = name;
        json facts             = json::object();
        facts["template"]      = name;

        common_chat_templates_ptr tmpls;
        try {
            tmpls = common_chat_templates_init(/* model = */ nullptr, read_text(path), bos, eos);
        } catch (const std::exception & e) {
            // init rethrows a sliced std::exception; parsing again recovers the message
            std::string error = e.what();
            try {
                common_chat_template probe(read_text(path), bos, eos);
            } catch (const std::exception & e2) {
                error = e2.what();
            }
            facts["init_error"] = error;
        }
        if (!tmpls) {
            facts["caps"] = json();
            templates_out.push_back(facts);
            continue;
        }
        facts["init_error"] = json();
        json caps           = json::object();
        for (const auto & [cap, value] : common_chat_templates_get_caps(tmpls.get())) {
            caps[cap] = value;
        }
        facts["caps"]                   = caps;
        facts["supports_enable_thinking"] = common_chat_templates_support_enable_thinking(tmpls.get());

        common_chat_templates_inputs base;
        base.messages              = { user };
        base.tools                 = tools;
        base.tool_choice           = COMMON_CHAT_TOOL_CHOICE_AUTO;
        base.reasoning_format      = COMMON_REASONING_FORMAT_AUTO;
        base.enable_thinking       = true;
        base.parallel_tool_calls   = true;
        base.add_generation_prompt = true;
        const applied_template prompt = apply_template(tmpls.get(), base);

        // without tools too: a template may pick another variant (template_tool_use) or handler
        common_chat_templates_inputs no_tools = base;
        no_tools.tools.clear();
        const applied_template prompt_no_tools = apply_template(tmpls.get(), no_tools);

        facts["format"]                  = prompt.ok ? json(common_chat_format_name(prompt.params.format)) : json();
        facts["parser"]                  = prompt.ok ? json(prompt.parser_name) : json();
        facts["chat_params_error"]       = prompt.ok ? json() : json(prompt.error);
        facts["format_without_tools"]    = prompt_no_tools.ok ? json(common_chat_format_name(prompt_no_tools.params.format)) : json();
        facts["parser_without_tools"]    = prompt_no_tools.ok ? json(prompt_no_tools.parser_name) : json();
        facts["chat_params_error_without_tools"] = prompt_no_tools.ok ? json() : json(prompt_no_tools.error);
        facts["supports_thinking"]       = prompt.ok ? json(prompt.params.supports_thinking) : json();
        facts["thinking_start_tag"]      = prompt.ok ? json(prompt.params.thinking_start_tag) : json();
        facts["thinking_end_tags"]       = prompt.ok ? json(prompt.params.thinking_end_tags) : json();
        facts["generation_prompt"]       = prompt.ok ? json(prompt.params.generation_prompt) : json();
        const auto peg = g_peg_case_counts.find(name);
        facts["llama_peg_cases"]         = peg == g_peg_case_counts.end() ? 0 : peg->second;

        json outcomes = json::object();
        for (const auto & variant : variants) {
            const std::string id = name + "#" + variant.name;
            g_log_label          = id;

            // With thinking on, a template whose generation prompt opens a thinking block renders a
            // turn without reasoning without that block: no model prompted so would write it. Such a
            // turn is then taken with thinking off, where the template allows it.
            own_render render = render_own_turn(tmpls.get(), base, variant.message);
            json render_note;
            if (render.mismatch) {
                common_chat_templates_inputs no_thinking = base;
                no_thinking.enable_thinking = false;
                own_render retry = render_own_turn(tmpls.get(), no_thinking, variant.message);
                if (retry.error.empty()) {
                    render_note = "with enable_thinking=true " + render.error + "; recorded with enable_thinking=false";
                    render      = std::move(retry);
                } else {
                    render.error += "; with enable_thinking=false as well: " + retry.error;
                }
            }

            peg_test_case tc;
            tc.params     = render.inputs;
            tc.expect     = variant.message;
            tc.is_partial = false;

            json rec          = json::object();
            rec["id"]         = id;
            rec["template"]   = name;
            rec["variant"]    = variant.name;
            rec["inputs"]     = inputs_json(render.inputs, false);
            rec["expected"]   = message_json(variant.message);
            rec["render_error"] = render.error.empty() ? json() : json(render.error);
            rec["render_note"]  = render_note;
            if (!render.error.empty()) {
                rec["rendered_turn"] = json();
                rec["end_of_turn"]   = json();
                rec["input"]         = json();
                record_outcome(rec, tmpls.get(), render.prompt, nullptr, true, grammars);
                outcomes[variant.name] = "render_error";
                cases_out.push_back(rec);
                continue;
            }
            std::string end_of_turn;
            tc.input             = split_end_of_turn(render.turn, render.prompt.params.additional_stops, end_of_turn);
            rec["rendered_turn"] = render.turn;
            rec["end_of_turn"]   = end_of_turn;
            rec["input"]         = tc.input;
            if (tc.input.empty()) {
                // e.g. templates that render neither tool calls nor reasoning of an assistant turn
                rec["render_note"] = "the template writes nothing of this turn but its end";
            }
            record_outcome(rec, tmpls.get(), render.prompt, &tc, /* ignore_ids = */ true, grammars);
            outcomes[variant.name] = tc.input.empty()                       ? "empty_turn" :
                                     !rec["chat_params_error"].is_null()    ? "chat_params_error" :
                                     !rec["parse_error"].is_null()          ? "parse_error" :
                                     rec["parsed_matches_expected"] == true ? "matches" : "differs";
            cases_out.push_back(rec);
        }
        facts["own_cases"] = outcomes;
        templates_out.push_back(facts);
    }
}

// ---- main --------------------------------------------------------------------------------------

static void write_json(const fs::path & path, const json & value) {
    std::ofstream out(path, std::ios::binary);
    out << value.dump(1) << "\n";
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

int main(int argc, char ** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s <out_dir> <bos_token> <eos_token>   (run in the llama.cpp source root)\n", argv[0]);
        return 2;
    }
    const fs::path out_dir = argv[1];
    const std::string bos  = argv[2];
    const std::string eos  = argv[3];
    fs::create_directories(out_dir);

    // the "Using specialized template" lines are debug lines
    common_log_set_verbosity_thold(LOG_LEVEL_DEBUG);

    int status = 0;
    json harness_error;
    try {
        test_template_output_peg_parsers(/* detailed_debug = */ false);
    } catch (const std::exception & e) {
        // a check outside .run() failed: the cases after it were not recorded
        harness_error = std::string(e.what());
        fprintf(stderr, "test_template_output_peg_parsers stopped: %s\n", e.what());
        status = 1;
    }

    json templates    = json::array();
    json own_cases    = json::array();
    grammar_table own_grammars;
    record_own_cases("models/templates", bos, eos, templates, own_cases, own_grammars);

    const json about = json::object({
        { "generator", "scripts/chat-format-goldens/regenerate.sh" },
        { "llama_cpp", "v0.5.0" },
        { "fixed_time", "2025-03-14T15:09:26Z" },
    });

    json peg = json::object();
    peg["about"]         = about;
    // test-chat.cpp inits its templates without a model or token overrides
    peg["bos_token"]     = "";
    peg["eos_token"]     = "";
    peg["harness_error"] = harness_error;
    peg["grammars"]      = g_peg_grammars.to_json();
    peg["cases"]         = g_peg_cases;
    write_json(out_dir / "llama-peg-cases.json", peg);

    json own = json::object();
    own["about"]      = about;
    own["bos_token"]  = bos;
    own["eos_token"]  = eos;
    own["tools"]      = json::parse(OWN_TOOLS);
    own["end_of_turn_markers"] = END_OF_TURN_MARKERS;
    own["grammars"]   = own_grammars.to_json();
    own["cases"]      = own_cases;
    write_json(out_dir / "template-cases.json", own);

    json facts = json::object();
    facts["about"]     = about;
    facts["bos_token"] = bos;
    facts["eos_token"] = eos;
    facts["templates"] = templates;
    write_json(out_dir / "templates.json", facts);

    size_t passed = 0, matched = 0;
    for (const auto & rec : g_peg_cases) {
        passed += rec.at("llama_test").at("passed") == true ? 1 : 0;
        matched += rec.at("parsed_matches_expected") == true ? 1 : 0;
    }
    size_t own_matched = 0, own_parsed = 0;
    for (const auto & rec : own_cases) {
        own_parsed += rec.at("parsed").is_null() ? 0 : 1;
        own_matched += rec.at("parsed_matches_expected") == true ? 1 : 0;
    }
    printf("llama.cpp cases: %zu recorded, %zu pass llama.cpp's own test, %zu parse to the expected message\n",
           g_peg_cases.size(), passed, matched);
    printf("own cases: %zu templates, %zu cases, %zu parsed, %zu parse back to the rendered message\n",
           templates.size(), own_cases.size(), own_parsed, own_matched);
    if (g_missing_lines > 0) {
        status = 1;
    }
    return status;
}
