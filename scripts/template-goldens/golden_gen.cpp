// Renders every chat template against every conversation with llama.cpp's own chat pipeline
// (common_chat_templates_init + common_chat_templates_apply, use_jinja = true) and writes the
// exact prompt bytes as golden files for AgentHost.Jinja's tests.
//
// A conversation file is an OpenAI chat request body: {"messages": [...], "tools": [...],
// "chat_template_kwargs": {...}} (tools and chat_template_kwargs optional).
//
// usage: golden_gen [--pure-content] <templates_dir> <conversations_dir> <out_dir> <bos_token> <eos_token>
//
// --pure-content sets force_pure_content: the prompt is rendered without the specialized-format
// handlers and the automatic output-parser generation. Used for the feature snippets, which are not
// chat formats and would otherwise trip the parser generator after rendering correctly.
//
// out_dir/<template>/<conversation>.txt        the prompt, byte for byte
// out_dir/<template>/<conversation>.error.txt  llama.cpp failed; the file holds its message
// out_dir/<template>/capabilities.txt          the template capabilities llama.cpp detected
//
// The wall clock is pinned (see FIXED_EPOCH) so strftime_now and the date_string/datetime
// context variables are reproducible: time() and clock_gettime(CLOCK_REALTIME) are
// interposed here, and the script runs this program with TZ=UTC.

#include "chat.h"
#include "json.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

// 2025-03-14T15:09:26Z; keep in sync with GoldenTests.FixedNow.
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

static std::string read_file(const fs::path & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

static void write_file(const fs::path & path, const std::string & text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

static std::vector<fs::path> list_files(const fs::path & dir, const std::string & ext) {
    std::vector<fs::path> files;
    for (const auto & entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ext) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

int main(int argc, char ** argv) {
    bool pure_content = false;
    if (argc > 1 && std::string(argv[1]) == "--pure-content") {
        pure_content = true;
        argv++;
        argc--;
    }
    if (argc != 6) {
        fprintf(stderr, "usage: %s [--pure-content] <templates_dir> <conversations_dir> <out_dir> <bos_token> <eos_token>\n", argv[0]);
        return 2;
    }
    const fs::path templates_dir = argv[1];
    const fs::path conversations_dir = argv[2];
    const fs::path out_dir = argv[3];
    const std::string bos = argv[4];
    const std::string eos = argv[5];

    const auto templates = list_files(templates_dir, ".jinja");
    const auto conversations = list_files(conversations_dir, ".json");
    size_t ok = 0;
    size_t failed = 0;

    for (const auto & tmpl_path : templates) {
        const fs::path tmpl_out = out_dir / tmpl_path.stem();
        fs::create_directories(tmpl_out);
        const std::string source = read_file(tmpl_path);

        // capabilities llama.cpp detects for the template (out_dir/<template>/capabilities.txt)
        try {
            auto tmpls = common_chat_templates_init(/* model = */ nullptr, source, bos, eos);
            std::string caps_text;
            for (const auto & [name, value] : common_chat_templates_get_caps(tmpls.get())) {
                caps_text += name + "=" + (value ? "true" : "false") + "\n";
            }
            write_file(tmpl_out / "capabilities.txt", caps_text);
        } catch (const std::exception &) {
            // unparsable template: every conversation below records the error
        }

        for (const auto & conv_path : conversations) {
            const std::string name = conv_path.stem().string();
            try {
                const common_json conv = common_json::parse(read_file(conv_path));
                common_chat_templates_inputs inputs;
                inputs.use_jinja = true;
                inputs.add_generation_prompt = true;
                inputs.force_pure_content = pure_content;
                inputs.messages = common_chat_msgs_parse_oaicompat(conv.at("messages"));
                if (conv.contains("tools")) {
                    inputs.tools = common_chat_tools_parse_oaicompat(conv.at("tools"));
                }
                // llama-server's request extension: extra template variables, e.g. enable_thinking
                if (conv.contains("chat_template_kwargs")) {
                    for (const auto & [key, value] : conv.at("chat_template_kwargs").items()) {
                        inputs.chat_template_kwargs[key] = value.dump();
                    }
                }
                // init per pair: a template that fails to parse fails every conversation
                common_chat_templates_ptr tmpls;
                try {
                    tmpls = common_chat_templates_init(/* model = */ nullptr, source, bos, eos);
                } catch (const std::exception &) {
                    // init rethrows a sliced std::exception; parse again to recover the message
                    common_chat_template probe(source, bos, eos);
                    throw;
                }
                const auto params = common_chat_templates_apply(tmpls.get(), inputs);
                write_file(tmpl_out / (name + ".txt"), params.prompt);
                ok++;
            } catch (const std::exception & e) {
                write_file(tmpl_out / (name + ".error.txt"), std::string(e.what()) + "\n");
                failed++;
            }
        }
    }
    printf("templates: %zu, conversations: %zu, rendered: %zu, llama.cpp errors: %zu\n",
           templates.size(), conversations.size(), ok, failed);
    return 0;
}
