# Writes a .cpp holding IN's bytes as a string_view named SYMBOL (called by fk_embed_file).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR n "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUT}" "#include <string_view>\nnamespace { const char data[] = {${bytes} 0}; }\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}{data, ${n}};\n")
