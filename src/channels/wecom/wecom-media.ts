// WeCom temporary media: POST /cgi-bin/media/upload?access_token=…&type=image, multipart with the file in the
// "media" field (filename and content-type given) → { errcode: 0, type: "image", media_id, created_at }. A media_id
// is valid for three days, long enough for the message/send right after it.
import { fetchJson } from "../../core/access-token.ts";

export interface WecomMediaConfig {
  apiBase: string;
  timeoutMs?: number;
}

/** The media_id, or an Error saying why not (never throws: a picture that cannot go is dropped, not retried). */
export async function uploadWecomImage(cfg: WecomMediaConfig, accessToken: string, png: Uint8Array, filename: string): Promise<string | Error> {
  const form = new FormData();
  form.append("media", new Blob([png], { type: "image/png" }), filename);
  try {
    const res = await fetchJson(`${cfg.apiBase}/cgi-bin/media/upload?access_token=${encodeURIComponent(accessToken)}&type=image`, {
      method: "POST",
      form,
      what: "WeCom /cgi-bin/media/upload",
      timeoutMs: cfg.timeoutMs ?? 20_000,
    });
    const j = (res.json ?? {}) as { errcode?: unknown; errmsg?: unknown; media_id?: unknown };
    if (res.status === 200 && j.errcode === 0 && typeof j.media_id === "string" && j.media_id) return j.media_id;
    return new Error(`WeCom media/upload: HTTP ${res.status}, errcode ${String(j.errcode)} (${String(j.errmsg ?? res.raw ?? "").slice(0, 120)})`);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
