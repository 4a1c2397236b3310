// Positioned JSON trees: offsets of values and member names, line:column in characters, syntax
// errors with positions, numbers kept as written.
#include "tariff/json_tree.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(JsonTreeTest, RemembersWhereValuesAndNamesStart) {
    const std::string text = "{\n  \"a\": [1.50, \"x\"],\n  \"b\": {\"c\": null}\n}";
    const JsonSource source("t.json", text);
    const auto tree = parse_json_tree(source);
    ASSERT_TRUE(tree) << tree.error().message();
    ASSERT_EQ(tree->members.size(), 2u);
    EXPECT_EQ(tree->members[0].name, "a");
    EXPECT_EQ(source.location(tree->members[0].offset), "t.json:2:3");
    const JsonValue& array = tree->members[0].value;
    EXPECT_EQ(source.location(array.offset), "t.json:2:8");
    EXPECT_EQ(array.items[0].text, "1.50");  // the token as written
    EXPECT_EQ(source.location(array.items[1].offset), "t.json:2:15");
    EXPECT_EQ(array.items[1].text, "x");
    EXPECT_EQ(tree->members[1].value.members[0].value.type, JsonValue::Type::null);
    EXPECT_EQ(source.location(tree->members[1].value.members[0].value.offset), "t.json:3:14");
}

TEST(JsonTreeTest, ColumnsCountCharactersNotBytes) {
    const std::string text = "{\"名称\": \"峰\", \"x\": 1}";
    const JsonSource source("t.json", text);
    const auto tree = parse_json_tree(source);
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->members[0].value.text, "峰");
    EXPECT_EQ(source.location(tree->members[1].offset), "t.json:1:13");
}

TEST(JsonTreeTest, SyntaxErrorsCarryAPosition) {
    const std::string text = "{\n  \"a\": 1,\n  \"b\": 2,\n}";
    const auto tree = parse_json_tree(JsonSource("bad.json", text));
    ASSERT_FALSE(tree);
    EXPECT_EQ(tree.error().kind(), ErrorClass::user);
    EXPECT_EQ(tree.error().message().rfind("bad.json:4:1: not valid JSON: ", 0), 0u) << tree.error().message();
}

TEST(JsonTreeTest, RefusesTrailingContentAndNonObjects) {
    EXPECT_FALSE(parse_json_tree(JsonSource("t.json", "{} {}")));
    EXPECT_FALSE(parse_json_tree(JsonSource("t.json", "")));
    const auto scalar = parse_json_tree(JsonSource("t.json", "42"));
    ASSERT_FALSE(scalar);
    EXPECT_NE(scalar.error().message().find("must be a JSON object"), std::string::npos);
}

TEST(JsonTreeTest, KeepsDuplicateNamesForTheStrictReader) {
    const auto tree = parse_json_tree(JsonSource("t.json", "{\"a\": 1, \"a\": 2}"));
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->members.size(), 2u);
}

TEST(JsonTreeTest, RefusesDeepNesting) {
    const std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
    const auto tree = parse_json_tree(JsonSource("t.json", deep));
    ASSERT_FALSE(tree);
}

TEST(JsonTreeTest, PreviewsValuesForMessages) {
    const auto tree = parse_json_tree(JsonSource("t.json", "{\"s\": \"" + std::string(50, 'x') + "\", \"o\": {}}"));
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->members[0].value.preview(), "\"" + std::string(40, 'x') + "...\"");
    EXPECT_EQ(tree->members[1].value.preview(), "{...}");
}

}  // namespace
}  // namespace gridaudit
