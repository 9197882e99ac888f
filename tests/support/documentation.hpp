#pragma once
// Reading the documentation the command tables must match: the man pages (as generated into the
// build tree) and the completion files. Used by tests/cli and tests/quick.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace wgx::test {

/// The source tree (WGX_SOURCE_DIR) or the build tree (WGX_BINARY_DIR): from the environment
/// when set, else where CMake configured the tests.
inline std::string env_dir(const char* name) {
    if (const char* v = std::getenv(name); v && *v)
        return v;
    return std::string_view(name) == "WGX_BINARY_DIR" ? WGX_TEST_BINARY_DIR : WGX_TEST_SOURCE_DIR;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// roff source as a reader sees the words: font escapes dropped, "\-" as "-", request names
/// (.B, .BR, .TP, ...) removed from the start of lines.
inline std::string roff_words(std::string text) {
    text = std::regex_replace(text, std::regex(R"(\\f[BIRP])"), "");
    text = std::regex_replace(text, std::regex(R"(\\-)"), "-");
    text = std::regex_replace(text, std::regex(R"(\\&)"), "");
    text = std::regex_replace(text, std::regex(R"((^|\n)\.[A-Za-z]+ ?)"), "$1");
    return text;
}

/// The first words of each .TP item of a man page: the subcommands and options it describes.
inline std::vector<std::string> roff_item_heads(const std::string& roff) {
    std::vector<std::string> heads;
    std::istringstream in(roff);
    std::string line;
    bool next_is_head = false;
    while (std::getline(in, line)) {
        if (next_is_head)
            heads.push_back(roff_words(line));
        next_is_head = line.rfind(".TP", 0) == 0;
    }
    return heads;
}

/// Whether a .TP item of the man page starts with `word` (alone or followed by arguments).
inline bool has_item(const std::string& roff, std::string_view word) {
    for (const auto& h : roff_item_heads(roff))
        if (h.rfind(word, 0) == 0 &&
            (h.size() == word.size() || h[word.size()] == ' ' || h[word.size()] == ','))
            return true;
    return false;
}

/// Whether `word` occurs in `text` as a whole word (words may contain '-').
inline bool has_word(const std::string& text, std::string_view word) {
    std::string w(word);
    std::regex re("(^|[^A-Za-z0-9_-])" + std::regex_replace(w, std::regex(R"(\.)"), R"(\.)") +
                  "($|[^A-Za-z0-9_-])");
    return std::regex_search(text, re);
}

/// The literal keywords of a usage synopsis: its words and --options outside <placeholders>.
inline std::vector<std::string> synopsis_keywords(std::string_view synopsis) {
    std::string s = std::regex_replace(std::string(synopsis), std::regex("<[^>]*>"), " ");
    std::vector<std::string> words;
    std::regex word_re("(--?)?[a-z][a-z-]*");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), word_re); it != std::sregex_iterator();
         ++it)
        words.push_back(it->str());
    return words;
}

} // namespace wgx::test
