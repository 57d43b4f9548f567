"""Writes tokenizer-corpus.jsonl, the committed corpus of TokenizerParityTests (one JSON string a line)."""
import json, random
random.seed(11)
L = []
add = L.append
# plain English
for s in ["A man is eating food.", "A man is eating a piece of bread.", "The quick brown fox jumps over the lazy dog.",
          "Sparrow runs pruned neural networks fast.", "Hello, world!", "It's a beautiful day, isn't it?",
          "I can't believe it's not butter.", "Mr. Smith went to Washington D.C. on 3/14/2015.",
          "e-mail me at someone@example.com or visit https://example.org/path?x=1&y=2#frag",
          "THE ALL CAPS SENTENCE SHOULD BE LOWERCASED.", "MiXeD CaSe WoRdS", "unbelievably antidisestablishmentarianism",
          "Transformers, tokenizers and WordPiece: a ##test of ## prefixes.", "don't stop-believing", "rock'n'roll",
          "well...that's odd", "(parentheses) [brackets] {braces} <angles>", "quotes: \"double\" 'single' `back`",
          "hash#tag @mention $100 50% a^b a~b a|b a\\b", "semi;colon:colon", "under_score and-dash", "a+b=c*d/e",
          "I ❤ NY", "He said “hello” and ‘goodbye’ — then left…", "¿Qué tal? ¡Muy bien!", "«guillemets» and „low quotes“",
          "naïve café résumé façade coöperate", "Ångström Øresund Æsir œuvre straße", "ÉCOLE ÉLÉMENTAIRE", "İstanbul Iğdır ışık",
          "ΣΟΦΟΣ σοφός Ελληνικά", "Привет, мир! Как дела?", "Ünïcödé àccénts èvérÿwhère", "Dvořák Škoda Łódź Kraków",
          "Việt Nam Tiếng Việt", "crème brûlée à la mode", "ﬁne ﬂow ligatures ﬀ", "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ １２３",
          "Ⅻ roman numeral ⅻ", "subscripts H₂O and superscripts x²", "①②③ circled", "™ © ® ° ± × ÷",
          "€100 £50 ¥1000 ₹250 ₿0.5", "½ ¼ ¾ fractions", "math: ∀x∈ℝ, x²≥0 ∑∫∂√∞≠≈", "arrows → ← ↑ ↓ ⇒",
          ]: add(s)
# numbers
for s in ["3.14159265358979323846", "1,000,000 and 1.000.000", "2024-01-01T12:34:56Z", "+1 (555) 123-4567",
          "0x1F600 0b1010 0o777", "1e-10 6.022e23", "123456789012345678901234567890", "v1.2.3-beta+build.5",
          "IPv4 192.168.0.1 IPv6 ::1", "The year 1999 and 2000.", "١٢٣ Arabic-Indic digits", "४२ Devanagari digits"]: add(s)
# CJK and other scripts
for s in ["我爱自然语言处理。", "今天天气很好，我们去公园吧！", "東京は日本の首都です。", "ひらがな カタカナ 漢字",
          "한국어 문장입니다.", "中文English混合mixed文本", "𠀀𠀁 CJK extension B", "㐀㐁 extension A", "豈更 compatibility ideographs",
          "〇 ideographic zero", "「括弧」『二重括弧』【隅付き】", "العربية نص تجريبي", "עברית טקסט", "हिन्दी पाठ", "বাংলা লেখা",
          "ภาษาไทย ข้อความ", "ქართული ენა", "Հայերեն լեզու", "አማርኛ ጽሑፍ", "ᚠᚢᚦᚨᚱᚲ runes", "Ελληνικά και English και Русский",
          "日本語とEnglishと한국어", "tiếng Việt 越南语 ベトナム語"]: add(s)
# emoji
for s in ["😀", "I love pizza 🍕🍕!", "👨‍👩‍👧‍👦 family ZWJ sequence", "🇫🇷 🇯🇵 flags", "👍🏽 skin tone", "❤️ with variation selector",
          "🥰 newer emoji", "🫠 melting face", "emoji😀inside😀words", "☺ ☹ ☃ ★ ☆ ♠ ♣", "#️⃣ keycap", "🏳️‍🌈"]: add(s)
# empty / whitespace
for s in ["", " ", "   ", "\t", "\n", "\t\t  \n  ", "\u3000", "\u00a0", "a\u00a0b", "a\u2003b\u2009c", "\u2028line\u2029sep"]: add(s)
# tabs and controls
for s in ["tab\tseparated\tvalues", "carriage\rreturn", "new\nline", "vertical\x0btab", "form\x0cfeed", "next\x85line",
          "nul\x00char", "bell\x07char", "esc\x1b[31mred\x1b[0m", "del\x7fchar", "replacement\ufffdchar", "soft\u00adhyphen",
          "zero\u200bwidth\u200bspace", "zero\u200cwidth\u200dnon-joiner", "word\u2060joiner", "bom\ufeffhere",
          "rtl\u200fmark\u200eltr", "\u202eoverride\u202c", "private\ue000use", "plane15\U000F0001char", "tag\U000E0041chars",
          "arabic\u061cletter mark", "\u08e2 unicode 9 format", "lone surrogate-free text"]: add(s)
# combining marks
for s in ["e\u0301 combining acute", "Ame\u0301lie", "n\u0303o\u0308\u0301", "Z\u0351\u0360\u0334\u0321A\u0315\u0350L\u034fG\u0343O zalgo",
          "a\u20dd enclosing", "x\u0489 cyrillic enclosing", "\u0301 leading mark", "q\u0323\u0307 dots", "ก\u0e31 thai mark",
          "क\u094d\u0937 virama", "\u08d4 unicode 9 mark", "a\U0001e2ae unicode 12 mark", "ｶﾞ halfwidth katakana"]: add(s)
# punctuation edge
for s in ["!!!???...", "-- — – ‐ ‑", "a/b\\c|d", "…", "·•‧", "§¶†‡", "‰‱", "‹›", "「」", "〜～", "⸘ interrobang ‽",
          "\u2e43 unicode 9 punct", "\u2e4f newer punct", "\U00011c41 bhaiksuki", "\ua8fc siddham", "\U0001da87 signwriting",
          "_underscore_", "@@@###$$$", "[CLS] literal", "hello[MASK]world [mask] [SEP][PAD]", "[UNK] token text", "[[CLS]]", "##sub ##words"]: add(s)
# very long words
add("a" * 99); add("b" * 100); add("c" * 101); add("supercalifragilisticexpialidocious" * 3)
add("pneumonoultramicroscopicsilicovolcanoconiosis"); add("x" * 300 + " short")
add("é" * 101); add("e\u0301" * 60); add("日" * 150)
add("longword" + "ab" * 60 + " and normal words after")
add("http://" + "verylongdomain" * 8 + ".com")
# truncation lines
words = "the of and to in is was for on that with as by at from his her they which this have be not are or an it but had one all were we when there can been has more if no out do so what up said about other into than its time only could new some them these".split()
for n in [255, 300, 400, 600, 1000]:
    add(" ".join(random.choice(words) for _ in range(n)))
add("token " * 253 + "end")
add("word " * 254 + "x")
add("日本" * 200)
add("😀 " * 300)
add(", " * 300)
# mixed random generated
pools = ["hello", "world", "Café", "naïve", "東京", "😀", "123", "4.5", "!", "?", "—", "don't", "Σ", "İ", "ß", "ﬁ",
         "\t", " ", "\u200b", "e\u0301", "한국", "Привет", "[MASK]", "##", "straße", "x²", "½", "😀🍕", "العربية"]
while len(L) < 230:
    add("".join(random.choice(pools) + random.choice([" ", "", " ", "  "]) for _ in range(random.randint(1, 20))))
# characters Unicode assigned after 8.0 (tokenizers' category tables), inside words
for s in ["in\u2e43word unicode 9 punctuation", "x\u2e4fy\ua8fcz", "mark\u08d4inside", "a.b,c!d?e"]: add(s)
with open("tokenizer-corpus.jsonl", "w", encoding="utf-8") as f:
    for s in L:
        f.write(json.dumps(s, ensure_ascii=False) + "\n")
print(len(L))
