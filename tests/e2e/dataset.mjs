// Seeded, deterministic data for tests and the benchmark, written as a Sangyu export file
// (docs/file-format.md) so it enters the app the way offices share data: by import.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/** mulberry32: a small seeded PRNG, so every run makes the same county. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4 UUID from the PRNG. */
export function uuid(next) {
  const b = Array.from({ length: 16 }, () => Math.floor(next() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const hlc = (ms, count = 0) => `${String(ms).padStart(13, '0')}-${String(count).padStart(6, '0')}`;

/** The text of an export file holding `records` ({kind, id, body}) from `device`. */
export function exportFile({ office = '测试县老干部局', device, records, ms = 1_764_000_000_000, sorted = true }) {
  const lines = records.map((r, i) =>
    JSON.stringify({ kind: r.kind, id: r.id, created: hlc(ms, i), updated: hlc(ms, i), device, deleted: false, body: sorted ? spelled(r.body) : r.body }),
  );
  const body = lines.map((l) => `${l}\n`).join('');
  const crc = (crc32(Buffer.from(body, 'utf8')) >>> 0).toString(16).padStart(8, '0');
  const header = {
    format: 'sangyu-export', version: 1, schema: 1, device, office,
    exported: new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'), exported_ms: ms, complete: true,
    records: lines.length, crc32: crc,
  };
  return `${JSON.stringify(header)}\n${body}${JSON.stringify({ end: 'sangyu-export', records: lines.length, crc32: crc })}\n`;
}

/** A body as Sangyu spells it in its files: keys sorted at every level, no empty fields. */
function spelled(value, top = true) {
  if (Array.isArray(value)) return value.map((v) => spelled(v, false));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const k of Object.keys(value).sort()) {
    if (top && (value[k] === null || value[k] === undefined)) continue;
    out[k] = spelled(value[k], false);
  }
  return out;
}

/**
 * A township's roster and, a day later, its week (20 activities and 5 payments), as two export
 * files from 猫场镇's `device` written in `dir`: `{ roster, week }`, their paths.
 */
export async function townshipWeek(dir, { seed, people, device, names = ['roster.jsonl', 'week.jsonl'] }) {
  const records = county(seed, { people, activities: 20, benefits: 5 });
  const [roster, week] = names.map((n) => join(dir, n));
  const office = '猫场镇';
  await writeFile(roster, exportFile({ device, office, records: records.filter((r) => r.kind === 'person') }));
  await writeFile(week, exportFile({ device, office, records: records.filter((r) => r.kind !== 'person'), ms: 1_764_100_000_000 }));
  return { roster, week };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '建国华明军平志强文秀英玉兰桂芳德福贵荣海林春梅红丽霞兴发永庆宝山成忠义清正光辉淑珍凤云芝';
export const TOWNSHIPS = ['城关镇', '八步街道', '贺街镇', '莲塘镇', '黄田镇', '鹅塘镇', '沙田镇', '公会镇', '大宁镇', '南乡镇', '桂岭镇', '开山镇'];

/**
 * A county of `people` people and `activities` + `benefits` work-log records, in the
 * proportions of the source article (mostly retirees and lectures, holiday visits the most
 * common payment). Returns the records, ready for `exportFile`.
 */
export function county(seed, { people = 1000, activities = 5000, benefits = 3000 } = {}) {
  const next = rng(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const date = (y0, y1) => `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const records = [];
  const ids = [];
  for (let i = 0; i < people; i++) {
    const id = uuid(next);
    ids.push(id);
    const r = next();
    const category = r < 0.08 ? 'lixiu' : r < 0.85 ? 'tuixiu' : r < 0.95 ? 'widow' : 'other';
    const name = pick(SURNAMES) + pick(GIVEN) + (next() < 0.7 ? pick(GIVEN) : '');
    records.push({
      kind: 'person',
      id,
      body: {
        name, gender: next() < 0.6 ? 'male' : 'female', birth_date: date(1925, 1962), category,
        township: pick(TOWNSHIPS), party_member: next() < 0.5, phone: `139${String(int(0, 99999999)).padStart(8, '0')}`,
      },
    });
  }
  const kinds = [['lecture', 0.5], ['outreach', 0.1], ['training', 0.1], ['class', 0.1], ['clinic', 0.1], ['meeting', 0.05], ['campaign', 0.05]];
  for (let i = 0; i < activities; i++) {
    let r = next();
    const kind = kinds.find(([, p]) => (r -= p) < 0)?.[0] ?? 'other';
    const participants = Array.from({ length: int(0, 3) }, () => ({ person: pick(ids), tenth_hours: int(5, 40) }));
    records.push({
      kind: 'activity',
      id: uuid(next),
      body: {
        kind, theme: pick(['党的二十大精神宣讲', '防范电信诈骗', '健康义诊', '竹笋种植培训', '法治宣传']), date: date(2021, 2026),
        township: pick(TOWNSHIPS), participants, sessions: 1, audience: int(20, 300), leaflets: int(0, 50), slogans: int(0, 5),
      },
    });
  }
  const benefitKinds = ['holiday_visit', 'holiday_visit', 'holiday_visit', 'birthday', 'checkup', 'widow_subsidy', 'medical'];
  for (let i = 0; i < benefits; i++) {
    records.push({
      kind: 'benefit',
      id: uuid(next),
      body: { kind: pick(benefitKinds), person: pick(ids), date: date(2021, 2026), amount: int(1, 20) * 10000 },
    });
  }
  return records;
}
