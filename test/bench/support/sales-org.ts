// A large sales organisation for the bench: 1,000 reps under 50 managers, a director, the warehouse and an admin,
// written as an ordinary org file (loaded by the normal org loader at start-up), three customers owned by each rep,
// and realistic, distinct visit logs naming those customers — as reps type them in WeCom.
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"];
const GIVEN = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣佳琳"];
const CITIES = ["华东", "华南", "苏州", "无锡", "常州", "宁波", "杭州", "合肥", "南京", "青岛", "济南", "天津", "佛山", "东莞", "厦门", "福州", "武汉", "长沙", "成都", "重庆", "西安", "郑州", "沈阳", "大连", "温州", "嘉兴", "绍兴", "南通", "扬州", "徐州"];
const BRAND = [..."恒力鑫源远景东方新锐顺达宏金鹏华业永盛瑞丰天成博联创中泰汇通世德信嘉禾凯龙腾海峰"];
const TRADES = ["机电", "泵业", "电气", "自动化", "五金", "轴承", "重工", "机械", "电机", "液压"];
const TITLES = ["经理", "总", "工", "主任", "科长"];
const NEEDS = [
  (n: number) => `下季度要${n}台电机`,
  () => "想了解变频器的价格",
  () => "对PLC控制器有兴趣",
  (n: number) => `月底前要${n}卷电缆`,
  (n: number) => `年度采购电机B约${n}台`,
  (n: number) => `他们新产线要${n}台变频器`,
];
const NEXT = ["下周三带报价再去", "周五前发方案", "下周一回访", "月底前再跟进", "明天上午电话确认", "下周二约了看样机"];
const FORMS = [
  (c: string, p: string, need: string, next: string) => `今天拜访了${c}的${p}，${need}，${next}`,
  (c: string, p: string, need: string, next: string) => `上午去了${c}，见了${p}，${need}，${next}`,
  (c: string, p: string, need: string, next: string) => `拜访${c}，和${p}聊了聊，${need}，${next}`,
  (c: string, p: string, need: string, next: string) => `刚从${c}回来，${p}说${need}，${next}`,
  (c: string, p: string, need: string, next: string) => `今天去${c}见了${p}，${need}。${next}`,
];

/** A small deterministic PRNG (mulberry32): the same org and texts every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SalesOrg {
  /** WeCom UserIDs of the reps. */
  reps: string[];
  /** WeCom UserIDs of the managers (used to warm the bot up without touching the reps' limits). */
  managers: string[];
  customers: { owner: string; name: string; short: string }[];
  /** The people as the org file lists them. */
  users: { id: string; name: string; roles: string[]; manager?: string; wecom: string }[];
}

export function makeSalesOrg(file: string, reps = 1000, customersPerRep = 3): SalesOrg {
  const rnd = prng(14);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const person = () => pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.5 ? pick(GIVEN) : "");
  const managerCount = Math.max(1, Math.ceil(reps / 20));
  const users: SalesOrg["users"] = [
    { id: "director", name: person(), roles: ["director"], wecom: "Director" },
    { id: "warehouse", name: person(), roles: ["warehouse"], wecom: "Warehouse" },
    { id: "admin", name: "管理员", roles: ["admin"], wecom: "Admin" },
  ];
  const out: SalesOrg = { reps: [], managers: [], customers: [], users };
  for (let m = 1; m <= managerCount; m++) {
    const id = `mgr${String(m).padStart(3, "0")}`;
    users.push({ id, name: person(), roles: ["manager", "rep"], manager: "director", wecom: `Mgr${String(m).padStart(3, "0")}` });
    out.managers.push(`Mgr${String(m).padStart(3, "0")}`);
  }
  const used = new Set<string>();
  for (let r = 1; r <= reps; r++) {
    const n = String(r).padStart(4, "0");
    const id = `rep${n}`;
    users.push({ id, name: person(), roles: ["rep"], manager: `mgr${String(Math.ceil(r / 20)).padStart(3, "0")}`, wecom: `Rep${n}` });
    out.reps.push(`Rep${n}`);
    for (let k = 0; k < customersPerRep; k++) {
      let short = "";
      // Brand + trade is unique across the company, so a name never matches a colleague's customer.
      do {
        const a = pick(BRAND);
        let b = pick(BRAND);
        while (b === a) b = pick(BRAND);
        short = a + b + pick(TRADES);
      } while (used.has(short));
      used.add(short);
      const city = pick(CITIES);
      out.customers.push({ owner: id, short: city + short, name: `${city}${short}${rnd() < 0.7 ? "有限公司" : "股份有限公司"}` });
    }
  }
  const org = {
    name: "华东机电销售有限公司（基准测试）",
    users,
    products: [
      { sku: "MOTOR-A", name: "电机A", aliases: ["A型电机"], unit: "台", price: 5000 },
      { sku: "MOTOR-B", name: "电机B", aliases: ["B型电机"], unit: "台", price: 8000 },
      { sku: "INV-3K", name: "变频器", aliases: ["变频器3K"], unit: "台", price: 3200 },
      { sku: "PLC-S7", name: "PLC控制器", aliases: ["PLC"], unit: "套", price: 12000 },
      { sku: "CABLE-10", name: "电缆", aliases: ["10平方电缆"], unit: "卷", price: 600 },
    ],
  };
  writeFileSync(file, stringify(org));
  return out;
}

/** `perRep` distinct visit logs from every rep, interleaved (rep 1, rep 2, …, rep 1, …) as a busy morning sends them. */
export function visitLogs(org: SalesOrg, perRep: number, seed = 7): { from: string; text: string }[] {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const byOwner = new Map<string, SalesOrg["customers"]>();
  for (const c of org.customers) byOwner.set(c.owner, [...(byOwner.get(c.owner) ?? []), c]);
  const out: { from: string; text: string }[] = [];
  for (let round = 0; round < perRep; round++) {
    for (const rep of org.reps) {
      const own = byOwner.get(`rep${rep.slice(3)}`)!;
      const c = pick(own);
      const qty = (1 + Math.floor(rnd() * 40)) * 10;
      out.push({ from: rep, text: pick(FORMS)(c.short, pick(SURNAMES) + pick(TITLES), pick(NEEDS)(qty), pick(NEXT)) });
    }
  }
  return out;
}
