// Reads a delivery address, contact and phone out of what a rep types when the warehouse needs them:
// "上海市浦东新区张江路100号 王经理 13800138000", "地址：苏州工业园区星湖街88号，联系人李工，电话0512-66881234",
// "收货人 张三 139 1234 5678 杭州市余杭区文一西路969号". Each piece is optional; the caller asks again for what
// is still missing.

export interface DeliveryInfo {
  address?: string;
  contact?: string;
  phone?: string;
}

// Mobile (spaces or dashes allowed between groups) or a landline with its area code.
const PHONE = /(?<![\d])(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})(?![\d])/;
const LABELS = /(?:收货地址|送货地址|地址|收货人|联系人|联系电话|手机号?|电话|收货信息)\s*[：:是为]?\s*/g;
// A person as reps write them: a surname and a title (王经理, 李工, 张总, 陈小姐), or a name after 联系人/收货人.
// Only in a piece of the message that is not (part of) the address: 苏州工业园区 holds 州工, which is no person.
const TITLED = /([\u4e00-\u9fa5](?:经理|总监|总|工|主任|老师|先生|小姐|女士|师傅|科长|部长|厂长|姐|哥))/;
const LABELLED = /(?:联系人|收货人)\s*[：:是为]?\s*([\u4e00-\u9fa5]{2,4}?)(?=[\s,，;；。]|电话|手机|1[3-9]\d|0\d{2,3}|$)/;
// An address names a place: a province/city/district and a street or number.
const ADDRESS_HINT = /(省|市|区|县|镇|乡|路|街|道|号|弄|村|园区|开发区|大厦|工业园|仓库|厂)/;

export function readDeliveryInfo(text: string): DeliveryInfo {
  let rest = ` ${text.replace(/\s+/g, " ").trim()} `;
  const out: DeliveryInfo = {};
  const phone = PHONE.exec(rest);
  if (phone) {
    out.phone = phone[1]!.replace(/[\s]/g, "");
    rest = rest.replace(phone[0], " ");
  }
  const labelled = LABELLED.exec(rest);
  if (labelled) {
    out.contact = labelled[1]!;
    rest = rest.replace(labelled[0], " ");
  } else {
    for (const piece of rest.split(/[,，;；。\s]+/)) {
      const titled = TITLED.exec(piece);
      if (!titled || ADDRESS_HINT.test(piece.replace(titled[1]!, ""))) continue;
      out.contact = titled[1]!;
      rest = rest.replace(piece, " ");
      break;
    }
  }
  const address = rest
    .replace(LABELS, " ")
    .split(/[,，;；。\s]+/)
    .map((p) => p.replace(/^(?:送到|发到|寄到|送货到)/, ""))
    .filter((p) => p && ADDRESS_HINT.test(p) && p.length >= 4)
    .join("");
  if (address) out.address = address;
  return out;
}

// …and a command that names an address is that command (改 客户 X 地址 …), never the answer.
const NOT_AN_ANSWER = /拜访|去了|见了|聊了|聊聊|说了|他说|她说|下单|订单|要订|报价|跟进|下次|下周|明天|SO-\d|^(?:改|修改|转交|领取|客户|公海|撤销|取消|完成)/i;

/** Whether a message looks like an answer to "where do the goods go?" (else it is understood as usual). */
export function looksLikeDeliveryInfo(text: string): boolean {
  const info = readDeliveryInfo(text);
  if (/^(收货|地址|联系人|收货人|送到|送货)/.test(text.trim())) return true;
  // A visit log names places and people too ("去了张江路的华东机电，王经理说…"): those are not answers.
  if (NOT_AN_ANSWER.test(text)) return false;
  return !!(info.phone || (info.address && (info.contact || /地址|收货|送到|送货/.test(text))));
}
