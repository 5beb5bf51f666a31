#!/usr/bin/env python3
"""Regenerates static/pinyin.txt, the table behind pinyin search of names.

One line per toneless syllable: the syllable, a tab, then every character (CJK Unified
Ideographs, U+4E00..U+9FFF) that can be read so; a character with several readings
(曾 ceng/zeng, 单 dan/shan) is on each line. ü is written v, as typed on phones.
Data: the pypinyin package (MIT), `pip install pypinyin==0.55.0`.
"""
from collections import defaultdict
from pypinyin import pinyin, Style

table = defaultdict(list)
for code in range(0x4E00, 0xA000):
    ch = chr(code)
    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors='ignore')
    for r in (readings[0] if readings else []):
        r = r.replace('ü', 'v')
        if r.isascii() and r.isalpha() and ch not in table[r]:
            table[r].append(ch)

with open('static/pinyin.txt', 'w', encoding='utf-8') as out:
    for syllable in sorted(table):
        out.write(f"{syllable}\t{''.join(table[syllable])}\n")
